import { listAudit } from '../../api/endpoints';
import type { AuditEvent } from '../../api/types';
import { Badge, type BadgeTone } from '../../components/Badge';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { useKeysetList } from '../../hooks/useKeysetList';

/** Failed and destructive actions stand out; everything else is quiet. */
function toneOf(action: string): BadgeTone {
  if (action.endsWith('.failed') || action.endsWith('.revoked') || action.endsWith('.deleted') || action.endsWith('.deactivated')) return 'red';
  if (action.endsWith('.created') || action.endsWith('.invited') || action.endsWith('.activated')) return 'green';
  return 'grey';
}

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}

const columns: TableColumn<AuditEvent>[] = [
  {
    key: 'when',
    label: 'When',
    render: (event) => <time dateTime={event.at}>{formatDateTime(event.at)}</time>,
  },
  { key: 'actor', label: 'Actor', render: (event) => event.actor },
  { key: 'action', label: 'Action', render: (event) => <Badge tone={toneOf(event.action)}>{event.action}</Badge> },
  {
    key: 'target',
    label: 'Target',
    render: (event) => (
      <span className="cell-stack">
        <span>{event.target.name ?? event.target.id ?? '—'}</span>
        <small className="muted">{event.target.type}</small>
      </span>
    ),
  },
  { key: 'address', label: 'Address', render: (event) => event.ip ?? <span className="muted">—</span> },
  {
    key: 'details',
    label: 'Details',
    cellClassName: 'cell-details',
    render: (event) => detailsText(event.details) || <span className="muted">—</span>,
  },
];

const loadAuditPage = async (before?: number) => {
  const page = await listAudit(before);
  return { items: page.events, nextBefore: page.nextBefore };
};

/** The append-only audit log (admins), newest first, fifty at a time. */
export function AuditPage() {
  const events = useKeysetList(loadAuditPage);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, token and team change, newest first. Entries cannot be edited or removed."
        actions={
          <button type="button" className="button" onClick={() => void events.refresh()} disabled={events.pending}>
            Refresh
          </button>
        }
      />
      <ErrorAlert error={events.error} title="Could not load the audit log." />
      {events.loaded ? (
        <DataTable
          caption="Audit events"
          columns={columns}
          rows={events.items}
          rowKey={(event) => String(event.id)}
          empty={<p className="empty">Nothing recorded yet.</p>}
        />
      ) : null}
      <LoadMoreButton list={events} label="Load older entries" />
    </>
  );
}
