import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAction } from '../hooks/useAsync';
import { useSession } from '../session/session';

export function LoginPage({ notice }: { notice?: string }) {
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(login);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(username.trim(), password);
  };

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <h1>Log in to Fly Registry</h1>
        </div>
        {notice ? (
          <p className="alert alert-info" role="status">
            {notice}
          </p>
        ) : null}
        <form onSubmit={submit} className="form">
          <div className="field">
            <label htmlFor="login-username">Username</label>
            <input id="login-username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </div>
          <ErrorAlert error={action.error} />
          <button type="submit" className="button button-primary button-block" disabled={action.pending}>
            {action.pending ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        <p className="auth-footnote">New here? Ask an administrator for an invitation link.</p>
      </div>
    </main>
  );
}
