import { useState } from 'react';
import { createTrustPolicy, type NewTrustPolicy } from '../../api/trust-policies';
import type { Permission, TrustPolicy } from '../../api/types';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/TextField';
import { useAction } from '../../hooks/useAsync';
import { ScopeField, scopeOf, type ScopeChoice } from '../tokens/ScopeField';
import { PermissionField } from '../tokens/TokenFields';

/** The issuers people pick most; any other https issuer can be typed. */
const GITHUB_ACTIONS = 'https://token.actions.githubusercontent.com';

/** `claim=value` lines; a claim given on several lines accepts any of its values. */
export function claimRules(text: string): NewTrustPolicy['rules'] {
  const rules = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    const claim = at < 0 ? trimmed : trimmed.slice(0, at).trim();
    const value = at < 0 ? '' : trimmed.slice(at + 1).trim();
    rules.set(claim, [...(rules.get(claim) ?? []), value]);
  }
  return [...rules].map(([claim, equals]) => ({ claim, equals }));
}

/** An admin's form for a trust policy: which CI jobs (issuer, audience, claims) get what token (permission, scope, environment, lifetime). */
export function CreateTrustPolicyDialog({ onCreated, onClose }: { onCreated: (p: TrustPolicy) => void; onClose: () => void }) {
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState(GITHUB_ACTIONS);
  const [audience, setAudience] = useState('fly-registry');
  const [rules, setRules] = useState('repository=');
  const [permission, setPermission] = useState<Permission>('read-write');
  const [scope, setScope] = useState<ScopeChoice>({ kind: 'all', text: '' });
  const [environment, setEnvironment] = useState('');
  const [ttl, setTtl] = useState('900');
  const action = useAction(createTrustPolicy);

  const submit = async () => {
    const input: NewTrustPolicy = { name: name.trim(), issuer: issuer.trim(), audience: audience.trim(), rules: claimRules(rules), permission, tokenTtlSeconds: Number(ttl) };
    const patterns = scopeOf(scope);
    if (patterns) input.scope = patterns;
    if (environment.trim()) input.environment = environment.trim();
    const created = await action.run(input);
    if (created) onCreated(created);
  };

  return (
    <FormDialog title="Create trust policy" onClose={onClose} onSubmit={submit} action={action} submitLabel="Create policy" pendingLabel="Creating…">
      <TextField id="policy-name" label="Name" value={name} onChange={setName} maxLength={63} placeholder="e.g. shop-release" hint="Lowercase letters, digits and hyphens." required autoFocus />
      <TextField id="policy-issuer" label="Issuer" value={issuer} onChange={setIssuer} maxLength={500} hint="GitHub Actions, https://gitlab.com, or any OIDC issuer URL." required />
      <TextField id="policy-audience" label="Audience" value={audience} onChange={setAudience} maxLength={300} hint="The audience the CI job requests its ID token for." required />
      <div className="field">
        <label htmlFor="policy-rules">Claim rules, one per line</label>
        <textarea id="policy-rules" rows={3} value={rules} onChange={(e) => setRules(e.target.value)} aria-describedby="policy-rules-hint" required />
        <p id="policy-rules-hint" className="field-hint">
          <code>claim=value</code>, <code>*</code> matching any text: <code>repository=acme/shop</code>, <code>ref=refs/tags/v*</code>. Repeat a claim for alternatives.
        </p>
      </div>
      <PermissionField value={permission} onChange={setPermission} name="policy-permission" />
      <ScopeField value={scope} onChange={setScope} />
      <TextField id="policy-environment" label="Environment (optional)" value={environment} onChange={setEnvironment} maxLength={63} hint="Issued tokens' image pulls become this environment's deployments." />
      <TextField id="policy-ttl" label="Token lifetime (seconds)" type="number" min={5} max={3600} value={ttl} onChange={setTtl} required />
    </FormDialog>
  );
}
