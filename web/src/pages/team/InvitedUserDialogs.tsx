import { useState } from 'react';
import { deleteInvitedUser, resendInvitation } from '../../api/endpoints';
import type { Invitation, User } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DangerConfirm } from '../../components/DangerConfirm';
import { useAction } from '../../hooks/useAsync';
import { InvitationLinkDialog } from './InviteDialog';

/** Asks, then makes a new invitation link (the one handed over before stops working) and shows it once. */
export function ResendInvitationDialog({ user, onClose, onResent }: { user: User; onClose: () => void; onResent: () => void }) {
  const action = useAction(resendInvitation);
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  if (invitation) return <InvitationLinkDialog title={`New invitation link for ${user.username}`} invitation={invitation} onClose={onClose} />;
  return (
    <ConfirmDialog
      title={`Resend the invitation to ${user.username}?`}
      confirmLabel="Make a new link"
      action={action}
      onClose={onClose}
      onConfirm={async () => {
        const answer = await action.run(user.id);
        if (!answer) return;
        setInvitation(answer);
        onResent();
      }}
    >
      <p>
        A new one-time link is made for <strong>{user.email}</strong>. The link handed over before stops working at once, so only the
        new one can claim the account.
      </p>
    </ConfirmDialog>
  );
}

/** Asks, then deletes someone invited who never joined (the invitation link stops working with it). */
export function DeleteInvitedDialog({ user, onClose, onDeleted }: { user: User; onClose: () => void; onDeleted: () => void }) {
  return (
    <DangerConfirm
      title={`Delete ${user.username}?`}
      confirmLabel="Delete"
      perform={deleteInvitedUser}
      args={[user.id]}
      done={`${user.username} deleted`}
      onDone={onDeleted}
      onClose={onClose}
    >
      <p>
        {user.username} was invited but never joined: the account and its invitation link are removed. You can invite{' '}
        {user.email} again later.
      </p>
    </DangerConfirm>
  );
}
