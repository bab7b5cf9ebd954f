import { useState } from 'react';
import { createEnvironmentToken, createToken, listEnvironments, type NewToken } from '../../api/endpoints';
import type { CreatedToken, Permission } from '../../api/types';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/TextField';
import { useAction, useAsync } from '../../hooks/useAsync';
import { ScopeField, scopeOf, type ScopeChoice } from './ScopeField';
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
  // The same defaults as flyreg and the MCP tools (src/client/token-defaults.ts): environment tokens never expire.
  const { expiry, setExpiry, expiresAt } = useExpiry(fixedEnvironment ? 'never' : 'date');
  const [environment, setEnvironment] = useState('');
  const [scope, setScope] = useState<ScopeChoice>({ kind: 'all', text: '' });
  const environments = useAsync(() => (fixedEnvironment ? Promise.resolve([]) : listEnvironments()), [fixedEnvironment]);
  const action = useAction(async (input: NewToken) =>
    fixedEnvironment ? createEnvironmentToken(fixedEnvironment, input) : createToken(input),
  );

  const submit = async () => {
    const input: NewToken = { name: name.trim(), permission, expiresAt };
    if (environment) input.environment = environment;
    const patterns = scopeOf(scope);
    if (patterns) input.scope = patterns;
    const created = await action.run(input);
    if (created) onCreated(created);
  };

  return (
    <FormDialog
      title={fixedEnvironment ? `Create a token for ${fixedEnvironment}` : 'Create token'}
      onClose={onClose}
      onSubmit={submit}
      action={action}
      submitLabel="Create token"
      pendingLabel="Creating…"
    >
      <TextField
        id="token-name"
        label="Name"
        value={name}
        onChange={setName}
        maxLength={100}
        placeholder="e.g. GitHub Actions deploy"
        hint="Say where the token will be used. Its username is derived from the name."
        required
        autoFocus
      />
      <PermissionField value={permission} onChange={setPermission} />
      <ExpiryField value={expiry} onChange={setExpiry} idPrefix="token" />
      <ScopeField value={scope} onChange={setScope} />
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
    </FormDialog>
  );
}
