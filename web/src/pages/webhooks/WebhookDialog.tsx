import { useState } from 'react';
import { createWebhook } from '../../api/endpoints';
import type { NotificationEventType, Webhook, WebhookFormat } from '../../api/types';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/TextField';
import { useAction } from '../../hooks/useAsync';

/** Adds a webhook: where to, which events, which payload; the secret is generated unless given. */
export function WebhookDialog({ events, onCreated, onClose }: { events: readonly NotificationEventType[]; onCreated: (w: Webhook) => void; onClose: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [format, setFormat] = useState<WebhookFormat>('json');
  const [chosen, setChosen] = useState<Set<NotificationEventType>>(new Set(events));
  const action = useAction(createWebhook);

  const toggle = (event: NotificationEventType, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(event);
    else next.delete(event);
    setChosen(next);
  };

  const submit = async () => {
    const created = await action.run({
      name: name.trim(),
      url: url.trim(),
      format,
      events: events.filter((e) => chosen.has(e)),
      ...(secret ? { secret } : {}),
    });
    if (created) onCreated(created);
  };

  return (
    <FormDialog title="Add a webhook" onClose={onClose} onSubmit={submit} action={action} submitLabel="Add webhook" pendingLabel="Adding…">
      <TextField id="webhook-name" label="Name" value={name} onChange={setName} maxLength={100} required autoFocus />
      <TextField id="webhook-url" label="URL" type="url" value={url} onChange={setUrl} hint="http:// or https://; each delivery is a POST with a JSON body." required />
      <TextField
        id="webhook-secret"
        label="Secret (optional)"
        value={secret}
        onChange={setSecret}
        hint="Signs every body: X-Fly-Signature: sha256=<HMAC-SHA256>. Left empty, one is generated."
      />
      <div className="field">
        <label htmlFor="webhook-format">Payload</label>
        <select id="webhook-format" value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)}>
          <option value="json">JSON event</option>
          <option value="slack">Slack-compatible ({'{"text": …}'})</option>
        </select>
      </div>
      <fieldset className="field">
        <legend>Events</legend>
        {events.map((event) => (
          <label key={event} className="checkbox">
            <input type="checkbox" checked={chosen.has(event)} onChange={(e) => toggle(event, e.target.checked)} />
            <code>{event}</code>
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
