import { useEffect, useState } from 'react';
import { deleteWebhook, listWebhookDeliveries, listWebhooks, sendWebhookTest } from '../../api/endpoints';
import type { Webhook, WebhookDelivery } from '../../api/types';
import { Badge } from '../../components/Badge';
import { DangerConfirm } from '../../components/DangerConfirm';
import { CopyButton } from '../../components/CopyButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SortableTable, type Column } from '../../components/SortableTable';
import { Timestamp } from '../../components/Timestamp';
import { useNotify } from '../../components/Toasts';
import { formatRelative } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { WebhookDialog } from './WebhookDialog';

const DELIVERY_TONES = { delivered: 'green', pending: 'amber', failed: 'red' } as const;
/** The log refreshes itself while open: deliveries and retries happen in the background. */
const LOG_REFRESH_MS = 2000;

/** Webhooks (admins): where events go, a test button, and each webhook's delivery log. */
export function WebhooksPage() {
  const notify = useNotify();
  const list = useAsync(listWebhooks, []);
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const test = useAction(sendWebhookTest);

  const webhooks = list.data?.webhooks ?? [];
  const shown = webhooks.find((w) => w.id === selected) ?? webhooks[0] ?? null;

  const sendTest = async (w: Webhook) => {
    if (await test.run(w.id)) {
      notify(`Test event queued for ${w.name}`);
      setSelected(w.id);
    }
  };

  const columns: Column<Webhook>[] = [
    {
      key: 'name',
      label: 'Name',
      sortValue: (w) => w.name.toLowerCase(),
      render: (w) => (
        <span className="cell-stack">
          <strong>{w.name}</strong>
          <small className="muted">{w.url}</small>
        </span>
      ),
    },
    { key: 'events', label: 'Events', render: (w) => <small>{w.events.join(', ')}</small> },
    { key: 'format', label: 'Payload', sortValue: (w) => w.format, render: (w) => (w.format === 'slack' ? 'Slack' : 'JSON') },
    { key: 'enabled', label: 'Status', render: (w) => (w.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="grey">Disabled</Badge>) },
    {
      key: 'actions',
      label: 'Actions',
      className: 'cell-actions',
      render: (w) => (
        <>
          <button type="button" className="button button-small" onClick={() => setSelected(w.id)} aria-label={`Delivery log of ${w.name}`}>
            Deliveries
          </button>
          <button type="button" className="button button-small" disabled={test.pending} onClick={() => void sendTest(w)} aria-label={`Send test to ${w.name}`}>
            Send test
          </button>
          <CopyButton text={w.secret} label="Copy secret" describe={`Copy the signing secret of ${w.name}`} />
          <button type="button" className="button button-small button-danger-outline" onClick={() => setDeleting(w)} aria-label={`Delete ${w.name}`}>
            Delete
          </button>
        </>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Fly Registry POSTs events here: tokens created, rotated, expiring, expired, revoked or leaked, new deployments, new releases. Each body is
            signed with the webhook's secret (<code>X-Fly-Signature: sha256=…</code>); failed deliveries are retried with growing delays.
            {list.data ? (list.data.email ? ' Expiring and leaked tokens are also emailed to their creators.' : ' Email is off (no SMTP server configured).') : null}
          </>
        }
        actions={
          <button type="button" className="button button-primary" onClick={() => setAdding(true)} disabled={!list.data}>
            Add webhook
          </button>
        }
      />
      <ErrorAlert error={list.error} title="Could not load the webhooks." />
      <ErrorAlert error={test.error} />
      {list.data ? (
        <SortableTable
          caption="Webhooks"
          columns={columns}
          rows={webhooks}
          rowKey={(w) => w.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          empty={<p className="empty">No webhooks yet: add one to hear about tokens, deployments and releases.</p>}
        />
      ) : null}
      {shown ? <DeliveryLog key={shown.id} webhook={shown} /> : null}
      {adding && list.data ? (
        <WebhookDialog
          events={list.data.events}
          onClose={() => setAdding(false)}
          onCreated={(w) => {
            setAdding(false);
            notify(`Webhook ${w.name} added`);
            setSelected(w.id);
            void list.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <DangerConfirm
          title={`Delete webhook ${deleting.name}?`}
          confirmLabel="Delete"
          perform={deleteWebhook}
          args={[deleting.id]}
          done={`Webhook ${deleting.name} deleted`}
          onDone={() => void list.reload()}
          onClose={() => setDeleting(null)}
        >
          <p>It stops receiving events at once; its delivery log is deleted with it.</p>
        </DangerConfirm>
      ) : null}
    </>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const log = useAsync(() => listWebhookDeliveries(webhook.id), [webhook.id]);
  const { reload } = log;
  useEffect(() => {
    const timer = setInterval(() => void reload(), LOG_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const columns: Column<WebhookDelivery>[] = [
    { key: 'createdAt', label: 'Queued', sortValue: (d) => new Date(d.createdAt).getTime(), render: (d) => <Timestamp at={d.createdAt} format={formatRelative} /> },
    { key: 'eventType', label: 'Event', sortValue: (d) => d.eventType, render: (d) => <code>{d.eventType}</code> },
    { key: 'status', label: 'Status', sortValue: (d) => d.status, render: (d) => <Badge tone={DELIVERY_TONES[d.status]}>{d.status}</Badge> },
    { key: 'attempts', label: 'Attempts', sortValue: (d) => d.attempts, render: (d) => String(d.attempts) },
    { key: 'lastStatus', label: 'HTTP', render: (d) => (d.lastStatus === null ? '—' : String(d.lastStatus)) },
    {
      key: 'next',
      label: 'Next attempt',
      render: (d) => (d.status === 'pending' && d.nextAttemptAt ? <Timestamp at={d.nextAttemptAt} format={formatRelative} /> : '—'),
    },
    { key: 'lastError', label: 'Last error', render: (d) => (d.lastError ? <small>{d.lastError}</small> : '—') },
  ];

  return (
    <section className="section" aria-labelledby="delivery-log-title">
      <h2 id="delivery-log-title" className="section-heading">Deliveries of {webhook.name}</h2>
      <ErrorAlert error={log.error} title="Could not load the delivery log." />
      {log.data ? (
        <SortableTable
          caption={`Delivery log of ${webhook.name}`}
          columns={columns}
          rows={log.data}
          rowKey={(d) => d.id}
          initialSort={{ key: 'createdAt', direction: 'descending' }}
          empty={<p className="empty">Nothing delivered yet. "Send test" sends a webhook.test event.</p>}
        />
      ) : null}
    </section>
  );
}
