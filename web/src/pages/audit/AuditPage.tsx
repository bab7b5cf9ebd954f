import { useCallback, useEffect, useState } from 'react';
import { listAudit } from '../../api/endpoints';
import type { AuditEvent } from '../../api/types';
import { Badge, type BadgeTone } from '../../components/Badge';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAsync';

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

/** The append-only audit log (admins), newest first, fifty at a time. */
export function AuditPage() {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(false);
  const load = useAction(listAudit);
  const { run } = load;

  const fetchPage = useCallback(
    async (before?: number) => {
      const page = await run(before);
      if (!page) return;
      setEvents((current) => (before ? [...current, ...page.events] : page.events));
      setNextBefore(page.nextBefore);
      setLoaded(true);
    },
    [run],
  );

  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, token and team change, newest first. Entries cannot be edited or removed."
        actions={
          <button type="button" className="button" onClick={() => void fetchPage()} disabled={load.pending}>
            Refresh
          </button>
        }
      />
      <ErrorAlert error={load.error} title="Could not load the audit log." />
      {loaded ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Audit events</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Address</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.length === 0 ? (
                <tr className="empty-row">
                  <td colSpan={6}>
                    <p className="empty">Nothing recorded yet.</p>
                  </td>
                </tr>
              ) : (
                events.map((event) => (
                  <tr key={event.id}>
                    <td data-label="When">
                      <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                    </td>
                    <td data-label="Actor">{event.actor}</td>
                    <td data-label="Action">
                      <Badge tone={toneOf(event.action)}>{event.action}</Badge>
                    </td>
                    <td data-label="Target">
                      <span className="cell-stack">
                        <span>{event.target.name ?? event.target.id ?? '—'}</span>
                        <small className="muted">{event.target.type}</small>
                      </span>
                    </td>
                    <td data-label="Address">{event.ip ?? <span className="muted">—</span>}</td>
                    <td data-label="Details" className="cell-details">
                      {detailsText(event.details) || <span className="muted">—</span>}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextBefore ? (
        <div className="load-more">
          <button type="button" className="button" onClick={() => void fetchPage(nextBefore)} disabled={load.pending}>
            {load.pending ? 'Loading…' : 'Load older entries'}
          </button>
        </div>
      ) : null}
    </>
  );
}
