import { useState, type FormEvent } from 'react';
import { createEnvironmentToken, createToken, listEnvironments, type NewToken } from '../../api/endpoints';
import type { CreatedToken, Permission } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction, useAsync } from '../../hooks/useAsync';
import { ExpiryField, PermissionField, useExpiry } from './TokenFields';

interface CreateTokenDialogProps {
  /** Fixes the environment (when opened from an environment's page); otherwise it is a choice. */
  environment?: string;
  onCreated: (token: CreatedToken) => void;
  onClose: () => void;
}

export function CreateTokenDialog({ environment: fixedEnvironment, onCreated, onClose }: CreateTokenDialogProps) {
  const [name, setName] = useState(fixedEnvironment ?? '');
  // Environment tokens are for pulling images into that environment: read-only by default.
  const [permission, setPermission] = useState<Permission>(fixedEnvironment ? 'read-only' : 'read-write');
  const { expiry, setExpiry, expiresAt } = useExpiry();
  const [environment, setEnvironment] = useState('');
  const environments = useAsync(() => (fixedEnvironment ? Promise.resolve([]) : listEnvironments()), [fixedEnvironment]);
  const action = useAction(async (input: NewToken) =>
    fixedEnvironment ? createEnvironmentToken(fixedEnvironment, input) : createToken(input),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: NewToken = { name: name.trim(), permission, expiresAt };
    if (environment) input.environment = environment;
    const created = await action.run(input);
    if (created) onCreated(created);
  };

  return (
    <Dialog title={fixedEnvironment ? `Create a token for ${fixedEnvironment}` : 'Create token'} onClose={onClose}>
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
        <PermissionField value={permission} onChange={setPermission} />
        <ExpiryField value={expiry} onChange={setExpiry} idPrefix="token" />
        {!fixedEnvironment && environments.data && environments.data.length > 0 ? (
          <div className="field">
            <label htmlFor="token-environment">Environment (optional)</label>
            <select
              id="token-environment"
              value={environment}
              onChange={(e) => {
                setEnvironment(e.target.value);
                if (e.target.value) setPermission('read-only');
              }}
              aria-describedby="token-environment-hint"
            >
              <option value="">None</option>
              {environments.data.map((env) => (
                <option key={env.id} value={env.name}>
                  {env.name}
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
