import { useMemo, useState } from 'react';
import { listTokens } from '../../api/endpoints';
import type { TokenStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../session/session';
import { TokenTable } from './TokenTable';
import { useTokenDialogs } from './useTokenDialogs';

type StatusFilter = 'all' | TokenStatus;

export function TokensPage() {
  const me = useMe();
  const tokens = useAsync(listTokens, []);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [query, setQuery] = useState('');
  const tokenDialogs = useTokenDialogs({ onChanged: () => void tokens.reload() });

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
            <button type="button" className="button button-primary" onClick={tokenDialogs.create}>
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
          onRevoke={tokenDialogs.revoke}
          onDelete={tokenDialogs.remove}
          empty={all.length === 0 ? 'No tokens yet. Create one to connect Docker, npm or pip.' : 'No token matches this filter.'}
        />
      ) : null}

      {tokenDialogs.dialogs}
    </>
  );
}
