import { approveNpmLogin, denyNpmLogin, getNpmLogin } from '../../api/endpoints';
import type { NpmWebLoginRequest } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { Link } from '../../router/router';

/** What the person reads once the request is no longer waiting for them. */
const OUTCOME: Record<Exclude<NpmWebLoginRequest['state'], 'pending'>, string> = {
  approved: 'Approved. npm is collecting its token: you can go back to your terminal.',
  consumed: 'Approved. npm received its token and is logged in: you can go back to your terminal.',
  denied: 'Denied. npm was told so, and no token was created.',
  expired: 'This request expired. Run npm login again to start a new one.',
};

/**
 * Where `npm login` sends a person: who is asking (the hostname npm sent, its address, when), and
 * Approve (npm receives a new read & write token of the signed-in user) or Deny.
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
      <PageHeader title="npm login" />
      {request.loading && !data ? <p className="muted">Loading the login request…</p> : null}
      <ErrorAlert error={request.error} />
      {data ? (
        <section className="card" aria-label="npm login request">
          <dl className="details">
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
              <p>
                Approve only if you just ran <code>npm login</code> yourself: npm will receive a new read &amp; write token in your name, listed
                on the <Link to="/tokens">Tokens</Link> page, until <time dateTime={data.expiresAt}>{formatDateTime(data.expiresAt)}</time>.
              </p>
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
              {OUTCOME[data.state]}
            </p>
          )}
        </section>
      ) : null}
    </>
  );
}
