import { approveNpmLogin, denyNpmLogin, getNpmLogin } from '../../api/endpoints';
import type { NpmWebLoginRequest } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { Link } from '../../router/router';

/** What the person reads once the request is no longer waiting for them. */
const OUTCOME: Record<NpmWebLoginRequest['client'], Record<Exclude<NpmWebLoginRequest['state'], 'pending'>, string>> = {
  npm: {
    approved: 'Approved. npm is collecting its token: you can go back to your terminal.',
    consumed: 'Approved. npm received its token and is logged in: you can go back to your terminal.',
    denied: 'Denied. npm was told so, and no token was created.',
    expired: 'This request expired. Run npm login again to start a new one.',
  },
  cli: {
    approved: 'Approved. flyreg is collecting its login: you can go back to your terminal.',
    consumed: 'Approved. flyreg is logged in: you can go back to your terminal.',
    denied: 'Denied. flyreg was told so, and nobody was logged in.',
    expired: 'This request expired. Run flyreg login again to start a new one.',
  },
};

/**
 * Where `npm login` and `flyreg login` send a person: who is asking (the hostname sent, its address, when,
 * and for flyreg the code its terminal shows), and Approve (npm receives a new read & write token of the
 * signed-in user; flyreg a login session) or Deny.
 */
export function NpmLoginPage({ id }: { id: string }) {
  const request = useAsync(() => getNpmLogin(id), [id]);
  const decide = useAction(async (approve: boolean) => {
    await (approve ? approveNpmLogin(id) : denyNpmLogin(id));
    await request.reload();
  });
  const data = request.data;

  return (
    <>
      <PageHeader title={data?.client === 'cli' ? 'flyreg login' : 'npm login'} />
      {request.loading && !data ? <p className="muted">Loading the login request…</p> : null}
      <ErrorAlert error={request.error} />
      {data ? (
        <section className="card" aria-label={`${data.client === 'cli' ? 'flyreg' : 'npm'} login request`}>
          <dl className="details">
            {data.code ? (
              <>
                <dt>Code</dt>
                <dd>
                  <code className="login-code">{data.code}</code> <span className="muted">— the code your terminal shows</span>
                </dd>
              </>
            ) : null}
            <dt>Computer</dt>
            <dd>{data.hostname ?? <span className="muted">not given</span>}</dd>
            <dt>Address</dt>
            <dd>{data.ip ?? <span className="muted">unknown</span>}</dd>
            <dt>Client</dt>
            <dd>{data.userAgent ?? <span className="muted">unknown</span>}</dd>
            <dt>Asked at</dt>
            <dd>
              <time dateTime={data.createdAt}>{formatDateTime(data.createdAt)}</time>
            </dd>
          </dl>
          {data.state === 'pending' ? (
            <>
              {data.client === 'cli' ? (
                <p>
                  Approve only if you just ran <code>flyreg login</code> yourself and the code matches: flyreg will be logged in as you. This
                  request waits until <time dateTime={data.expiresAt}>{formatDateTime(data.expiresAt)}</time>.
                </p>
              ) : (
                <p>
                  Approve only if you just ran <code>npm login</code> yourself: npm will receive a new read &amp; write token in your name, listed
                  on the <Link to="/tokens">Tokens</Link> page, until <time dateTime={data.expiresAt}>{formatDateTime(data.expiresAt)}</time>.
                </p>
              )}
              <ErrorAlert error={decide.error} />
              <div className="dialog-actions">
                <button type="button" className="button button-primary" disabled={decide.pending} onClick={() => void decide.run(true)}>
                  Approve
                </button>
                <button type="button" className="button" disabled={decide.pending} onClick={() => void decide.run(false)}>
                  Deny
                </button>
              </div>
            </>
          ) : (
            <p className="alert alert-info" role="status">
              {OUTCOME[data.client][data.state]}
            </p>
          )}
        </section>
      ) : null}
    </>
  );
}
