import { useState } from 'react';
import { inviteUser } from '../../api/endpoints';
import type { Invitation, Role } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/TextField';
import { formatDateTime } from '../../format/dates';
import { useAction } from '../../hooks/useAsync';

/** The one-time invitation link, shown once: after an invitation and after a resend. */
export function InvitationLinkDialog({ title, invitation, onClose }: { title: string; invitation: Invitation; onClose: () => void }) {
  return (
    <Dialog title={title} onClose={onClose}>
      <p>
        {invitation.emailed ? 'An email with this link was sent to ' : 'Send this link to '}
        <strong>{invitation.user.email}</strong>. It lets them choose a password, works once, and expires {formatDateTime(invitation.expiresAt)}.
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

/** Invites a person, then shows the one-time link to hand over (no mail server needed). */
export function InviteDialog({ onInvited, onClose }: { onInvited: () => void; onClose: () => void }) {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const action = useAction(inviteUser);

  const submit = async () => {
    const answer = await action.run({ username: username.trim(), email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) });
    if (answer) {
      setInvitation(answer);
      onInvited();
    }
  };

  if (invitation) return <InvitationLinkDialog title={`${invitation.user.username} is invited`} invitation={invitation} onClose={onClose} />;

  return (
    <FormDialog title="Invite a person" onClose={onClose} onSubmit={submit} action={action} submitLabel="Create invitation" pendingLabel="Inviting…">
      <TextField
        id="invite-username-field"
        label="Username"
        value={username}
        onChange={setUsername}
        pattern="[a-z0-9][a-z0-9-]*"
        hint="Lowercase letters, digits and hyphens."
        required
        autoFocus
      />
      <TextField id="invite-email" label="Email" type="email" value={email} onChange={setEmail} required />
      <TextField id="invite-name" label="Full name (optional)" value={name} onChange={setName} maxLength={100} />
      <div className="field">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="developer">Developer: manages their own tokens</option>
          <option value="admin">Admin: manages the team and every token</option>
        </select>
      </div>
    </FormDialog>
  );
}
