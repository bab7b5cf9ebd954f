import { useMemo, useState } from 'react';
import { listTokens } from '../../api/endpoints';
import type { TokenStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../session/session';
import { TokenTable } from './TokenTable';
import { useTokenDialogs } from './useTokenDialogs';
import { canRotate } from './token-rules';
import { useLocation } from '../../router/router';

/** A status, or "expiring soon" (active tokens within the server's warning window). */
type StatusFilter = 'all' | TokenStatus | 'expiring-soon';

export function TokensPage() {
  const me = useMe();
  const tokens = useAsync(listTokens, []);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [query, setQuery] = useState('');
  // The link registry clients print in their expiry notice (`/tokens?token=<id>`) shows that one token.
  const linked = useLocation().search.get('token');
  const tokenDialogs = useTokenDialogs({ onChanged: () => void tokens.reload() });

  const all = tokens.data ?? [];
  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return all.filter(
      (t) =>
        (!linked || t.id === linked) &&
        (status === 'all' || (status === 'expiring-soon' ? t.expiringSoon : t.status === status)) &&
        (!needle || [t.name, t.username, t.createdBy].some((field) => field.toLowerCase().includes(needle))),
    );
  }, [all, status, query, linked]);

  // The banner speaks of the tokens this person can act on (rotate), not the whole team's.
  const mine = useMemo(() => all.filter((t) => t.expiringSoon && canRotate(me, t)), [all, me]);

  const counts = useMemo(() => {
    const c = { active: 0, expired: 0, revoked: 0, expiringSoon: 0 };
    for (const t of all) {
      c[t.status]++;
      if (t.expiringSoon) c.expiringSoon++;
    }
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
            <option value="expiring-soon">Expiring soon ({counts.expiringSoon})</option>
          </select>
        </div>
        <p className="toolbar-count" aria-live="polite">
          {tokens.data ? `Showing ${shown.length} of ${all.length} tokens` : tokens.loading ? 'Loading tokens…' : ''}
        </p>
      </div>

      {mine.length > 0 && status !== 'expiring-soon' ? (
        <div className="alert alert-warning" role="status" data-testid="expiring-banner">
          <strong>
            {mine.length === 1 ? `Token “${mine[0]?.name}” expires` : `${mine.length} tokens you can rotate expire`} soon.
          </strong>{' '}
          Rotate {mine.length === 1 ? 'it' : 'them'} before clients are refused.{' '}
          <button type="button" className="button button-small" onClick={() => setStatus('expiring-soon')}>
            Show expiring tokens
          </button>
        </div>
      ) : null}

      <ErrorAlert error={tokens.error} title="Could not load the tokens." />
      {tokens.data ? (
        <TokenTable
          me={me}
          tokens={shown}
          onRevoke={tokenDialogs.revoke}
          onRotate={tokenDialogs.rotate}
          onDelete={tokenDialogs.remove}
          empty={all.length === 0 ? 'No tokens yet. Create one to connect Docker, npm or pip.' : 'No token matches this filter.'}
        />
      ) : null}

      {tokenDialogs.dialogs}
    </>
  );
}
