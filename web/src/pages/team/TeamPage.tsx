import { useState } from 'react';
import { listUsers, updateUser } from '../../api/endpoints';
import type { Role, User } from '../../api/types';
import { UserStatusBadge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SortableTable, type Column } from '../../components/SortableTable';
import { Timestamp } from '../../components/Timestamp';
import { useNotify } from '../../components/Toasts';
import { formatRelative } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { useMe } from '../../session/session';
import { InviteDialog } from './InviteDialog';
import { DeleteInvitedDialog, ResendInvitationDialog } from './InvitedUserDialogs';

type StatusChange = { user: User; status: 'active' | 'deactivated' } | null;
/** What is being done to someone invited who has not joined yet. */
type InvitedAction = { user: User; kind: 'resend' | 'delete' } | null;

/** The team (admins): who has access, in which role; invite, change roles, deactivate. */
export function TeamPage() {
  const me = useMe();
  const notify = useNotify();
  const users = useAsync(listUsers, []);
  const [inviting, setInviting] = useState(false);
  const [statusChange, setStatusChange] = useState<StatusChange>(null);
  const [invitedAction, setInvitedAction] = useState<InvitedAction>(null);
  const update = useAction(updateUser);

  const changeRole = async (user: User, role: Role) => {
    if (await update.run(user.id, { role })) {
      notify(`${user.username} is now ${role === 'admin' ? 'an admin' : 'a developer'}`);
      void users.reload();
    }
  };

  const columns: Column<User>[] = [
    {
      key: 'name',
      label: 'Name',
      sortValue: (u) => (u.name ?? u.username).toLowerCase(),
      render: (u) => (
        <span className="cell-stack">
          <strong>{u.name ?? u.username}</strong>
          <small className="muted">@{u.username}</small>
        </span>
      ),
    },
    { key: 'email', label: 'Email', sortValue: (u) => u.email, render: (u) => u.email },
    {
      key: 'role',
      label: 'Role',
      sortValue: (u) => u.role,
      render: (u) =>
        u.id === me.user.id ? (
          <span title="You cannot change your own role">{u.role === 'admin' ? 'Admin' : 'Developer'}</span>
        ) : (
          <select
            className="select-compact"
            aria-label={`Role of ${u.username}`}
            value={u.role}
            disabled={update.pending}
            onChange={(e) => void changeRole(u, e.target.value as Role)}
          >
            <option value="developer">Developer</option>
            <option value="admin">Admin</option>
          </select>
        ),
    },
    { key: 'status', label: 'Status', sortValue: (u) => u.status, render: (u) => <UserStatusBadge status={u.status} /> },
    {
      key: 'lastLoginAt',
      label: 'Last Login',
      sortValue: (u) => (u.lastLoginAt ? new Date(u.lastLoginAt).getTime() : null),
      render: (u) => <Timestamp at={u.lastLoginAt} format={formatRelative} missing="Never" />,
    },
    {
      key: 'actions',
      label: 'Actions',
      className: 'cell-actions',
      render: (u) =>
        u.id === me.user.id ? null : u.status === 'active' ? (
          <button type="button" className="button button-small button-danger-outline" onClick={() => setStatusChange({ user: u, status: 'deactivated' })} aria-label={`Deactivate ${u.username}`}>
            Deactivate
          </button>
        ) : u.status === 'deactivated' ? (
          <button type="button" className="button button-small" onClick={() => setStatusChange({ user: u, status: 'active' })} aria-label={`Reactivate ${u.username}`}>
            Reactivate
          </button>
        ) : u.status === 'invited' ? (
          <span className="row-actions">
            <button type="button" className="button button-small" onClick={() => setInvitedAction({ user: u, kind: 'resend' })} aria-label={`Resend invitation to ${u.username}`}>
              Resend invitation
            </button>
            <button type="button" className="button button-small button-danger-outline" onClick={() => setInvitedAction({ user: u, kind: 'delete' })} aria-label={`Delete ${u.username}`}>
              Delete
            </button>
          </span>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title="Team"
        description="People who can log in. Admins manage the team and every token; developers manage the tokens they create."
        actions={
          <button type="button" className="button button-primary" onClick={() => setInviting(true)}>
            Invite person
          </button>
        }
      />
      <ErrorAlert error={users.error} title="Could not load the team." />
      {!statusChange ? <ErrorAlert error={update.error} /> : null}
      {users.data ? (
        <SortableTable
          caption="Team members"
          columns={columns}
          rows={users.data}
          rowKey={(u) => u.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          empty={<p className="empty">No one here yet.</p>}
        />
      ) : null}
      {inviting ? <InviteDialog onClose={() => setInviting(false)} onInvited={() => void users.reload()} /> : null}
      {invitedAction?.kind === 'resend' ? (
        <ResendInvitationDialog user={invitedAction.user} onClose={() => setInvitedAction(null)} onResent={() => void users.reload()} />
      ) : null}
      {invitedAction?.kind === 'delete' ? (
        <DeleteInvitedDialog user={invitedAction.user} onClose={() => setInvitedAction(null)} onDeleted={() => void users.reload()} />
      ) : null}
      {statusChange ? (
        <ConfirmDialog
          title={statusChange.status === 'deactivated' ? `Deactivate ${statusChange.user.username}?` : `Reactivate ${statusChange.user.username}?`}
          confirmLabel={statusChange.status === 'deactivated' ? 'Deactivate' : 'Reactivate'}
          danger={statusChange.status === 'deactivated'}
          action={update}
          onClose={() => {
            setStatusChange(null);
            update.clearError();
          }}
          onConfirm={async () => {
            const { user, status } = statusChange;
            if (!(await update.run(user.id, { status }))) return;
            notify(`${user.username} ${status === 'deactivated' ? 'deactivated' : 'reactivated'}`);
            setStatusChange(null);
            void users.reload();
          }}
        >
          {statusChange.status === 'deactivated' ? (
            <p>They are logged out and can no longer log in; the tokens they created are revoked for good. You can reactivate them later: they then create new tokens.</p>
          ) : (
            <p>They can log in again. Their old tokens stay revoked: they create new ones.</p>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
