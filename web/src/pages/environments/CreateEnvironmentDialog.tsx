import { useState } from 'react';
import { createEnvironment, type NewEnvironment } from '../../api/endpoints';
import type { CreatedToken, Environment, Permission } from '../../api/types';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/TextField';
import { useAction } from '../../hooks/useAsync';
import { ExpiryField, PermissionField, useExpiry } from '../tokens/TokenFields';

/** A handful of distinct colours people recognise at a glance (production red, staging amber…). */
const PRESET_COLORS = [
  { value: '#dc2626', label: 'Red' },
  { value: '#ea580c', label: 'Orange' },
  { value: '#d97706', label: 'Amber' },
  { value: '#16a34a', label: 'Green' },
  { value: '#0891b2', label: 'Cyan' },
  { value: '#2563eb', label: 'Blue' },
  { value: '#7c3aed', label: 'Violet' },
  { value: '#db2777', label: 'Pink' },
];

interface CreateEnvironmentDialogProps {
  onCreated: (environment: Environment, token: CreatedToken | null) => void;
  onClose: () => void;
}

export function CreateEnvironmentDialog({ onCreated, onClose }: CreateEnvironmentDialogProps) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [color, setColor] = useState(PRESET_COLORS[5]?.value ?? '#2563eb');
  const [withToken, setWithToken] = useState(true);
  const [permission, setPermission] = useState<Permission>('read-only');
  const { expiry, setExpiry, expiresAt } = useExpiry('never');
  const action = useAction(createEnvironment);

  const submit = async () => {
    const input: NewEnvironment = { name: name.trim(), description: description.trim() || null, color };
    if (withToken) input.token = { permission, expiresAt };
    const answer = await action.run(input);
    if (answer) onCreated(answer.environment, answer.token);
  };

  return (
    <FormDialog title="Create environment" onClose={onClose} onSubmit={submit} action={action} submitLabel="Create environment" pendingLabel="Creating…">
      <TextField
        id="environment-name"
        label="Name"
        value={name}
        onChange={setName}
        pattern="[a-z0-9]([a-z0-9-]*[a-z0-9])?"
        maxLength={63}
        placeholder="production"
        hint="Lowercase letters, digits and hyphens."
        required
        autoFocus
      />
      <TextField id="environment-description" label="Description (optional)" value={description} onChange={setDescription} maxLength={500} />
      <fieldset className="field">
        <legend>Colour</legend>
        <div className="color-choices">
          {PRESET_COLORS.map((preset) => (
            <label key={preset.value} className="color-choice" title={preset.label}>
              <input type="radio" name="environment-color" value={preset.value} checked={color === preset.value} onChange={() => setColor(preset.value)} />
              <span className="swatch swatch-large" style={{ backgroundColor: preset.value }} aria-hidden="true" />
              <span className="visually-hidden">{preset.label}</span>
            </label>
          ))}
          <label className="color-custom">
            <span>Other</span>
            <input type="color" value={color} onChange={(e) => setColor(e.target.value)} aria-label="Custom colour" />
          </label>
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={withToken} onChange={(e) => setWithToken(e.target.checked)} />
        <span>
          <strong>Generate a token</strong>
          <small>For the cluster or servers that pull images into this environment</small>
        </span>
      </label>
      {withToken ? (
        <div className="nested-fields">
          <PermissionField value={permission} onChange={setPermission} name="environment-token-permission" />
          <ExpiryField value={expiry} onChange={setExpiry} idPrefix="environment-token" />
        </div>
      ) : null}
    </FormDialog>
  );
}
