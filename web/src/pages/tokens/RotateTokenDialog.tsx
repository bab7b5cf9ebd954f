import { useState } from 'react';
import { rotateToken } from '../../api/endpoints';
import type { RotatedToken, Token } from '../../api/types';
import { FormDialog } from '../../components/FormDialog';
import { useAction } from '../../hooks/useAsync';

/** How long the old secret keeps working: the choices people need (the API takes any 0–30 days). */
const OVERLAPS: { seconds: number; label: string }[] = [
  { seconds: 0, label: 'Stop the old secret now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 7 * 86_400, label: '7 days' },
  { seconds: 30 * 86_400, label: '30 days' },
];

/** Asks how long the old secret keeps working, rotates, and hands the answer (the new secret) to the secret dialog. */
export function RotateTokenDialog({ token, onRotated, onClose }: { token: Token; onRotated: (rotated: RotatedToken) => void; onClose: () => void }) {
  const [overlap, setOverlap] = useState(86_400);
  const action = useAction((seconds: number) => rotateToken(token.id, seconds));
  const submit = async () => {
    const rotated = await action.run(overlap);
    if (rotated) onRotated(rotated);
  };
  return (
    <FormDialog title={`Rotate “${token.name}”?`} onClose={onClose} onSubmit={submit} action={action} submitLabel="Rotate token" pendingLabel="Rotating…">
      <p>
        <strong>{token.name}</strong> (<code>{token.username}</code>) gets a new secret, shown once. Its username, permission
        {token.environment ? `, environment (${token.environment})` : ''} and history stay the same
        {token.expiresAt ? '; its lifetime starts again from now' : ''}.
      </p>
      <div className="field">
        <label htmlFor="rotate-overlap">Old secret keeps working for</label>
        <select id="rotate-overlap" value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} aria-describedby="rotate-overlap-hint">
          {OVERLAPS.map((o) => (
            <option key={o.seconds} value={o.seconds}>
              {o.label}
            </option>
          ))}
        </select>
        <p id="rotate-overlap-hint" className="field-hint">
          Time to put the new secret everywhere the old one is used. The token list shows whether the old secret is still in use.
        </p>
      </div>
    </FormDialog>
  );
}
