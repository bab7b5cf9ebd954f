import { useState, type FormEvent } from 'react';
import { acceptInvitation, getInvitation } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { navigate } from '../../router/router';
import { useSession } from '../../session/session';

const MIN_PASSWORD = 12;

/** Where an invitation link lands: shows who it is for, sets a password, then logs the person in. */
export function InvitePage({ token }: { token: string }) {
  const { login } = useSession();
  const invitation = useAsync(() => getInvitation(token), [token]);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const accept = useAction(async (username: string, chosen: string) => {
    await acceptInvitation(token, chosen);
    await login(username, chosen);
    navigate('/tokens', { replace: true });
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) return setMismatch(true);
    setMismatch(false);
    if (invitation.data) void accept.run(invitation.data.username, password);
  };

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <h1>Join Fly Registry</h1>
        </div>
        {invitation.loading && !invitation.data ? <p className="muted">Checking your invitation…</p> : null}
        {invitation.error ? (
          <>
            <ErrorAlert error={invitation.error} />
            <p className="auth-footnote">Ask the administrator who invited you for a new link.</p>
          </>
        ) : null}
        {invitation.data ? (
          <form onSubmit={submit} className="form">
            <p>
              You were invited as <strong>{invitation.data.username}</strong> ({invitation.data.email}). Choose a password to activate
              your account. This link works once and until {formatDateTime(invitation.data.expiresAt)}.
            </p>
            <div className="field">
              <label htmlFor="invite-username">Username</label>
              <input id="invite-username" value={invitation.data.username} readOnly autoComplete="username" />
            </div>
            <div className="field">
              <label htmlFor="invite-password">New password</label>
              <input
                id="invite-password"
                type="password"
                autoComplete="new-password"
                minLength={MIN_PASSWORD}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby="invite-password-hint"
                required
                autoFocus
              />
              <p id="invite-password-hint" className="field-hint">
                At least {MIN_PASSWORD} characters.
              </p>
            </div>
            <div className="field">
              <label htmlFor="invite-confirm">Repeat the password</label>
              <input
                id="invite-confirm"
                type="password"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                aria-invalid={mismatch}
                required
              />
            </div>
            {mismatch ? (
              <p className="alert alert-error" role="alert">
                The two passwords differ. Type the same password twice.
              </p>
            ) : null}
            <ErrorAlert error={accept.error} />
            <button type="submit" className="button button-primary button-block" disabled={accept.pending}>
              {accept.pending ? 'Activating…' : 'Activate account and log in'}
            </button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
