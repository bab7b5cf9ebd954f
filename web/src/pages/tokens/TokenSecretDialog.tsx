import type { CreatedToken, RotatedToken } from '../../api/types';
import { formatDateTime } from '../../format/dates';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { Snippet } from '../../components/Snippet';

const SNIPPET_TITLES: Record<string, string> = {
  dockerLogin: 'Docker login',
  npmrc: '.npmrc',
  pipIndexUrl: 'PIP_INDEX_URL',
};

/** "dockerLogin" → "Docker login", for snippet kinds a newer server adds. */
const titleOf = (key: string) => SNIPPET_TITLES[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

export interface SnippetItem {
  key: string;
  title: string;
  text: string;
  hint?: string;
}

/**
 * Every ready-to-paste text in the creation answer. The Kubernetes pull secret is shown only for an
 * environment token: that is the token a cluster pulls with, and the others need no two extra snippets.
 */
export function snippetList(created: Pick<CreatedToken, 'snippets' | 'environmentId'>): SnippetItem[] {
  const { snippets } = created;
  const list: SnippetItem[] = [];
  for (const [key, value] of Object.entries(snippets)) {
    if (typeof value === 'string') list.push({ key, title: titleOf(key), text: value });
  }
  const k8s = snippets.kubernetes;
  if (created.environmentId && k8s && typeof k8s === 'object') {
    const where = k8s.namespace && k8s.secretName ? `Secret ${k8s.secretName} in namespace ${k8s.namespace}.` : undefined;
    if (typeof k8s.manifest === 'string') {
      list.push({ key: 'k8s-manifest', title: 'Kubernetes pull secret (manifest)', text: k8s.manifest, hint: where && `${where} Apply with kubectl apply -f -.` });
    }
    if (typeof k8s.kubectl === 'string') list.push({ key: 'k8s-kubectl', title: 'Kubernetes pull secret (kubectl)', text: k8s.kubectl });
  }
  return list;
}

/**
 * Shows a new token's secret, the one time the server ever returns it. It lives only in this dialog's
 * props: closing the dialog drops it, and it is never written to browser storage.
 */
export function TokenSecretDialog({ created, onClose }: { created: CreatedToken | RotatedToken; onClose: () => void }) {
  // A rotation's answer says when the secret it replaced stops working.
  const retires = 'previousSecretRetiresAt' in created ? created.previousSecretRetiresAt : null;
  return (
    <Dialog title={`Token “${created.name}” ${retires ? 'rotated' : 'created'}`} onClose={onClose} wide>
      <div className="alert alert-warning" role="alert">
        <strong>Copy this token now.</strong> It will not be shown again: Fly Registry keeps only a fingerprint of it. If you lose it,
        {retires ? ' rotate it again.' : ' revoke it and create a new one.'}
      </div>
      {retires ? (
        <p className="alert alert-info" data-testid="previous-secret-retires">
          The old secret keeps working until {formatDateTime(retires)}. Replace it with this one in every client before then.
        </p>
      ) : null}
      <div className="secret-box">
        <label htmlFor="new-token-secret">Token</label>
        <div className="secret-row">
          <input id="new-token-secret" className="secret-value" value={created.token} readOnly spellCheck={false} onFocus={(e) => e.target.select()} />
          <CopyButton text={created.token} label="Copy token" describe="Copy token" primary />
        </div>
        <p className="field-hint">
          Username: <code data-testid="token-username">{created.username}</code> (also accepted: your own username or <code>__token__</code>).
        </p>
      </div>
      <h3 className="section-title">Use it</h3>
      <div className="snippets">
        {snippetList(created).map((snippet) => (
          <Snippet key={snippet.key} title={snippet.title} text={snippet.text} hint={snippet.hint} />
        ))}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Done, I have copied it
        </button>
      </div>
    </Dialog>
  );
}
