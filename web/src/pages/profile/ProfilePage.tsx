import { getUser, listTokens } from '../../api/endpoints';
import { Avatar } from '../../components/Avatar';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { useAsync } from '../../hooks/useAsync';
import { Link } from '../../router/router';
import { useMe, useSession } from '../../session/session';

/** The signed-in person: who they are, what their role allows, and the tokens they created. */
export function ProfilePage() {
  const me = useMe();
  const { logout } = useSession();
  const user = useAsync(() => getUser(me.user.id), [me.user.id]);
  const tokens = useAsync(listTokens, []);
  const mine = (tokens.data ?? []).filter((t) => t.createdBy === me.user.username);
  const active = mine.filter((t) => t.status === 'active').length;

  return (
    <>
      <PageHeader title="Your profile" />
      <ErrorAlert error={user.error ?? tokens.error} />
      <section className="card profile-card" aria-label="Account">
        <Avatar name={user.data?.name ?? me.user.username} size="large" />
        <div>
          <h2>{user.data?.name ?? me.user.username}</h2>
          <p className="muted">@{me.user.username}</p>
        </div>
      </section>
      <div className="card-grid">
        <section className="card" aria-labelledby="profile-details">
          <h2 id="profile-details" className="card-title">
            Details
          </h2>
          <dl className="details">
            <dt>Email</dt>
            <dd>{user.data?.email ?? '…'}</dd>
            <dt>Role</dt>
            <dd>{me.user.role === 'admin' ? 'Admin: manages the team and every token' : 'Developer: manages the tokens you create'}</dd>
            <dt>Member since</dt>
            <dd>{user.data ? formatDateTime(user.data.createdAt) : '…'}</dd>
            <dt>Last login</dt>
            <dd>{user.data?.lastLoginAt ? formatDateTime(user.data.lastLoginAt) : '—'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="profile-tokens">
          <h2 id="profile-tokens" className="card-title">
            Your tokens
          </h2>
          <p>
            You created <strong>{mine.length}</strong> {mine.length === 1 ? 'token' : 'tokens'}, <strong>{active}</strong> of them active.
          </p>
          <p>
            <Link to="/tokens" className="button">
              Open Token Management
            </Link>
          </p>
          <h3 className="card-subtitle">What you can do</h3>
          <ul className="checklist">
            <li className={me.can.manageTokens ? 'yes' : 'no'}>Create tokens</li>
            <li className={me.can.push ? 'yes' : 'no'}>Publish images and packages</li>
            <li className={me.can.manageUsers ? 'yes' : 'no'}>Manage the team</li>
          </ul>
        </section>
      </div>
      <div className="page-footer-actions">
        <button type="button" className="button" onClick={() => void logout()}>
          Log out
        </button>
      </div>
    </>
  );
}
