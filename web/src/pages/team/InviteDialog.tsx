import { useState, type FormEvent } from 'react';
import { inviteUser } from '../../api/endpoints';
import type { Invitation, Role } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAsync';

/** Invites a person, then shows the one-time link to hand over (no mail server needed). */
export function InviteDialog({ onInvited, onClose }: { onInvited: () => void; onClose: () => void }) {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const action = useAction(inviteUser);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await action.run({ username: username.trim(), email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) });
    if (answer) {
      setInvitation(answer);
      onInvited();
    }
  };

  if (invitation) {
    return (
      <Dialog title={`${invitation.user.username} is invited`} onClose={onClose}>
        <p>
          Send this link to <strong>{invitation.user.email}</strong>. It lets them choose a password, works once, and expires{' '}
          {formatDateTime(invitation.expiresAt)}.
        </p>
        <div className="alert alert-warning">Anyone with the link can claim this account: share it privately. It is not shown again.</div>
        <div className="secret-box">
          <label htmlFor="invitation-link">Invitation link</label>
          <div className="secret-row">
            <input id="invitation-link" className="secret-value" value={invitation.invitationUrl} readOnly onFocus={(e) => e.target.select()} />
            <CopyButton text={invitation.invitationUrl} label="Copy link" describe="Copy invitation link" primary />
          </div>
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button-primary" onClick={onClose} autoFocus>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Invite a person" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="invite-username-field">Username</label>
          <input
            id="invite-username-field"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            pattern="[a-z0-9][a-z0-9-]*"
            aria-describedby="invite-username-hint"
            required
            autoFocus
          />
          <p id="invite-username-hint" className="field-hint">
            Lowercase letters, digits and hyphens.
          </p>
        </div>
        <div className="field">
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="invite-name">Full name (optional)</label>
          <input id="invite-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="developer">Developer: manages their own tokens</option>
            <option value="admin">Admin: manages the team and every token</option>
          </select>
        </div>
        <ErrorAlert error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={action.pending}>
            {action.pending ? 'Inviting…' : 'Create invitation'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
