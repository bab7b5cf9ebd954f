import { useState } from 'react';
import { listShareLinks, revokeShareLink } from '../../api/endpoints';
import type { ShareLink } from '../../api/types';
import { Badge, type BadgeTone } from '../../components/Badge';
import { DangerConfirm } from '../../components/DangerConfirm';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { Timestamp } from '../../components/Timestamp';
import { formatDateTime, formatRelative } from '../../format/dates';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../session/session';

const STATUS: Record<ShareLink['status'], { tone: BadgeTone; label: string }> = {
  active: { tone: 'green', label: 'Active' },
  expired: { tone: 'grey', label: 'Expired' },
  revoked: { tone: 'red', label: 'Revoked' },
  'used-up': { tone: 'amber', label: 'Download limit reached' },
};

const sharedThing = (l: ShareLink) => `${l.name}@${l.version}${l.file ? `/${l.file}` : ''}`;

/**
 * Share links of generic files (made with POST /api/v1/share-links or `flyreg share`): what each shares,
 * until when, how often it was downloaded, and a Revoke that stops the next download. Secrets are never
 * listed: a link is shown once, when it is made.
 */
export function ShareLinksPage() {
  const me = useMe();
  const links = useAsync(listShareLinks, []);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const mayRevoke = (l: ShareLink) => me.user.role === 'admin' || l.createdBy.split(' ')[0] === me.user.username;

  const columns: TableColumn<ShareLink>[] = [
    {
      key: 'shared',
      label: 'Shares',
      render: (l) => (
        <span className="cell-stack">
          <strong className="truncate" title={sharedThing(l)}>
            {sharedThing(l)}
          </strong>
          {l.note ? <small className="muted">{l.note}</small> : null}
        </span>
      ),
    },
    { key: 'status', label: 'Status', render: (l) => <Badge tone={STATUS[l.status].tone}>{STATUS[l.status].label}</Badge> },
    {
      key: 'downloads',
      label: 'Downloads',
      render: (l) => (l.maxDownloads === null ? String(l.downloadCount) : `${l.downloadCount} of ${l.maxDownloads}`),
    },
    { key: 'expires', label: 'Expires', render: (l) => <time dateTime={l.expiresAt}>{formatDateTime(l.expiresAt)}</time> },
    {
      key: 'created',
      label: 'Created',
      render: (l) => (
        <span className="cell-stack">
          <span>{l.createdBy}</span>
          <Timestamp at={l.createdAt} format={formatRelative} />
        </span>
      ),
    },
    {
      key: 'actions',
      label: 'Actions',
      className: 'cell-actions',
      render: (l) =>
        l.status === 'revoked' ? null : mayRevoke(l) ? (
          <button type="button" className="button button-small button-danger-outline" onClick={() => setRevoking(l)} aria-label={`Revoke the link to ${sharedThing(l)}`}>
            Revoke
          </button>
        ) : (
          <small className="muted">only its creator or an admin can revoke</small>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Share links"
        description="Generic files shared with people who have no account. Anyone holding a link can download until it expires, reaches its limit or is revoked."
      />
      <ErrorAlert error={links.error} title="Could not load the share links." />
      {links.data ? (
        <DataTable
          caption="Share links"
          columns={columns}
          rows={links.data}
          rowKey={(l) => l.id}
          empty={<p className="empty">No share links yet. Make one with POST /api/v1/share-links.</p>}
        />
      ) : null}
      {revoking ? (
        <DangerConfirm
          title={`Revoke the link to ${sharedThing(revoking)}?`}
          confirmLabel="Revoke"
          perform={revokeShareLink}
          args={[revoking.id]}
          done={`Link to ${sharedThing(revoking)} revoked`}
          onDone={() => void links.reload()}
          onClose={() => setRevoking(null)}
        >
          <p>The next download through this link is refused, and it cannot be turned back on. The files themselves stay in the registry.</p>
        </DangerConfirm>
      ) : null}
    </>
  );
}
