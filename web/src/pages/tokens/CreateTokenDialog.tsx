import { useState, type FormEvent } from 'react';
import { createToken, type NewToken } from '../../api/endpoints';
import type { CreatedToken, Permission } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { addDays, endOfLocalDay, toDateInputValue } from '../../format/dates';
import { useAction } from '../../hooks/useAsync';

interface CreateTokenDialogProps {
  /** Environment names to scope the token to; absent while the server has no environments. */
  environments?: string[];
  /** Preselects an environment (when opened from an environment's page). */
  environment?: string;
  onCreated: (token: CreatedToken) => void;
  onClose: () => void;
}

const DEFAULT_DAYS = 30;

export function CreateTokenDialog({ environments, environment: presetEnvironment, onCreated, onClose }: CreateTokenDialogProps) {
  const [name, setName] = useState('');
  // Environment tokens are for pulling images into that environment: read-only by default.
  const [permission, setPermission] = useState<Permission>(presetEnvironment ? 'read-only' : 'read-write');
  const [expiry, setExpiry] = useState<'date' | 'never'>('date');
  const tomorrow = toDateInputValue(addDays(new Date(), 1));
  const [date, setDate] = useState(toDateInputValue(addDays(new Date(), DEFAULT_DAYS)));
  const [environment, setEnvironment] = useState(presetEnvironment ?? '');
  const action = useAction(createToken);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: NewToken = {
      name: name.trim(),
      permission,
      expiresAt: expiry === 'never' ? null : endOfLocalDay(date).toISOString(),
    };
    if (environment) input.environment = environment;
    const created = await action.run(input);
    if (created) onCreated(created);
  };

  return (
    <Dialog title="Create token" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder="e.g. GitHub Actions deploy"
            aria-describedby="token-name-hint"
            required
            autoFocus
          />
          <p id="token-name-hint" className="field-hint">
            Say where the token will be used. Its username is derived from the name.
          </p>
        </div>

        <fieldset className="field">
          <legend>Permission</legend>
          <div className="choice-group">
            <label className="choice">
              <input type="radio" name="permission" value="read-write" checked={permission === 'read-write'} onChange={() => setPermission('read-write')} />
              <span>
                <strong>Read & Write</strong>
                <small>Pull and publish images and packages</small>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="permission" value="read-only" checked={permission === 'read-only'} onChange={() => setPermission('read-only')} />
              <span>
                <strong>Read-Only</strong>
                <small>Pull and install only</small>
              </span>
            </label>
          </div>
        </fieldset>

        <fieldset className="field">
          <legend>Expiration</legend>
          <div className="choice-group">
            <label className="choice">
              <input type="radio" name="expiry" value="date" checked={expiry === 'date'} onChange={() => setExpiry('date')} />
              <span>
                <strong>On a date</strong>
                <small>The token stops working at the end of that day</small>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="expiry" value="never" checked={expiry === 'never'} onChange={() => setExpiry('never')} />
              <span>
                <strong>Never</strong>
                <small>Works until it is revoked</small>
              </span>
            </label>
          </div>
          {expiry === 'date' ? (
            <div className="field field-inline">
              <label htmlFor="token-expiry-date">Expiration date</label>
              <input id="token-expiry-date" type="date" min={tomorrow} value={date} onChange={(e) => setDate(e.target.value)} required />
            </div>
          ) : null}
        </fieldset>

        {environments ? (
          <div className="field">
            <label htmlFor="token-environment">Environment (optional)</label>
            <select id="token-environment" value={environment} onChange={(e) => setEnvironment(e.target.value)} aria-describedby="token-environment-hint">
              <option value="">None</option>
              {environments.map((env) => (
                <option key={env} value={env}>
                  {env}
                </option>
              ))}
            </select>
            <p id="token-environment-hint" className="field-hint">
              Image pulls made with an environment token become that environment's deployment history.
            </p>
          </div>
        ) : null}

        <ErrorAlert error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={action.pending}>
            {action.pending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
