import { useMemo, useState } from 'react';
import { listTokens } from '../../api/endpoints';
import type { CreatedToken, TokenStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../session/session';
import { CreateTokenDialog } from './CreateTokenDialog';
import { TokenConfirmDialogs, type TokenAction } from './TokenConfirmDialogs';
import { TokenSecretDialog } from './TokenSecretDialog';
import { TokenTable } from './TokenTable';

type StatusFilter = 'all' | TokenStatus;

export function TokensPage() {
  const me = useMe();
  const tokens = useAsync(listTokens, []);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [action, setAction] = useState<TokenAction>(null);

  const all = tokens.data ?? [];
  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return all.filter(
      (t) =>
        (status === 'all' || t.status === status) &&
        (!needle || [t.name, t.username, t.createdBy].some((field) => field.toLowerCase().includes(needle))),
    );
  }, [all, status, query]);

  const counts = useMemo(() => {
    const c = { active: 0, expired: 0, revoked: 0 };
    for (const t of all) c[t.status]++;
    return c;
  }, [all]);

  return (
    <>
      <PageHeader
        title="Token Management"
        description="Tokens let Docker, npm, pip and CI systems use the registry. Each has its own username and can be revoked at any time."
        actions={
          me.can.manageTokens ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Create token
            </button>
          ) : null
        }
      />

      <div className="toolbar">
        <div className="field field-compact">
          <label htmlFor="token-search">Search</label>
          <input id="token-search" type="search" placeholder="Name, username or creator" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field field-compact">
          <label htmlFor="token-status">Status</label>
          <select id="token-status" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            <option value="all">All statuses ({all.length})</option>
            <option value="active">Active ({counts.active})</option>
            <option value="expired">Expired ({counts.expired})</option>
            <option value="revoked">Revoked ({counts.revoked})</option>
          </select>
        </div>
        <p className="toolbar-count" aria-live="polite">
          {tokens.data ? `Showing ${shown.length} of ${all.length} tokens` : tokens.loading ? 'Loading tokens…' : ''}
        </p>
      </div>

      <ErrorAlert error={tokens.error} title="Could not load the tokens." />
      {tokens.data ? (
        <TokenTable
          me={me}
          tokens={shown}
          onRevoke={(token) => setAction({ kind: 'revoke', token })}
          onDelete={(token) => setAction({ kind: 'delete', token })}
          empty={all.length === 0 ? 'No tokens yet. Create one to connect Docker, npm or pip.' : 'No token matches this filter.'}
        />
      ) : null}

      {creating ? (
        <CreateTokenDialog
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            void tokens.reload();
          }}
        />
      ) : null}
      {created ? <TokenSecretDialog created={created} onClose={() => setCreated(null)} /> : null}
      <TokenConfirmDialogs
        action={action}
        onDone={(changed) => {
          setAction(null);
          if (changed) void tokens.reload();
        }}
      />
    </>
  );
}
