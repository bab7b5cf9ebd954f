import { useState } from 'react';
import { deleteEnvironment, getDeployments, getDrift, getEnvironment } from '../../api/endpoints';
import type { Deployment, Drift } from '../../api/types';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Digest, DriftBadge, EnvironmentSwatch, ImageName, ReleaseLink } from '../../components/EnvironmentBits';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { Timestamp } from '../../components/Timestamp';
import { useNotify } from '../../components/Toasts';
import { formatDateTime, formatRelative } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { Link, navigate } from '../../router/router';
import { useMe } from '../../session/session';
import { TokenTable } from '../tokens/TokenTable';
import { useTokenDialogs } from '../tokens/useTokenDialogs';

const driftColumns: TableColumn<Drift>[] = [
  { key: 'image', label: 'Image', render: (r) => <ImageName repository={r.repository} tag={r.tag} /> },
  { key: 'digest', label: 'Digest', render: (r) => <Digest digest={r.digest} /> },
  { key: 'release', label: 'Release', render: (r) => <ReleaseLink release={r.release} /> },
  { key: 'drift', label: 'Drift', render: (r) => <DriftBadge drift={r} /> },
  { key: 'latest', label: 'Latest release', render: (r) => (r.latest ? <ReleaseLink release={r.latest} /> : <span className="muted">—</span>) },
  { key: 'since', label: 'Since', render: (r) => <Timestamp at={r.since} format={formatRelative} /> },
];

/** One environment: drift from the latest releases, the deployment timeline, and its tokens. */
export function EnvironmentPage({ name }: { name: string }) {
  const me = useMe();
  const notify = useNotify();
  const profile = useAsync(() => getEnvironment(name), [name]);
  const drift = useAsync(() => getDrift(name), [name]);
  const timeline = useAsync(() => getDeployments(name), [name]);
  // Older pages of the timeline, appended by "Load more" (beyond the first 100 deployments).
  const [older, setOlder] = useState<{ deployments: Deployment[]; nextCursor: string | null } | null>(null);
  const loadOlder = useAction(getDeployments);
  const deployments = [...(timeline.data?.deployments ?? []), ...(older?.deployments ?? [])];
  const nextCursor = older ? older.nextCursor : (timeline.data?.nextCursor ?? null);
  const loadMore = async () => {
    const page = await loadOlder.run(name, nextCursor);
    if (page) setOlder((current) => ({ deployments: [...(current?.deployments ?? []), ...page.deployments], nextCursor: page.nextCursor }));
  };
  const tokenDialogs = useTokenDialogs({ environment: name, onChanged: () => void profile.reload() });
  const [deleting, setDeleting] = useState(false);
  const remove = useAction(deleteEnvironment);

  const environment = profile.data;
  const reloadAll = () => Promise.all([profile.reload(), drift.reload(), timeline.reload()]);

  if (profile.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorAlert error={profile.error} />
        <Link to="/environments">Back to environments</Link>
      </>
    );
  }

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/environments">Environments</Link> <span aria-hidden="true">/</span> <span aria-current="page">{name}</span>
      </nav>
      <PageHeader
        title={name}
        description={
          environment ? (
            <span className="environment-heading">
              <EnvironmentSwatch color={environment.color} />
              {environment.description ?? 'No description'} · created by {environment.createdBy} on {formatDateTime(environment.createdAt)}
            </span>
          ) : undefined
        }
        actions={
          <>
            <button type="button" className="button" onClick={() => void reloadAll()}>
              Refresh
            </button>
            <button type="button" className="button button-danger-outline" onClick={() => setDeleting(true)}>
              Delete environment
            </button>
          </>
        }
      />

      <section className="section" aria-labelledby="drift-title">
        <h2 id="drift-title" className="section-heading">
          Running now and drift
        </h2>
        <ErrorAlert error={drift.error} />
        {drift.data?.repositories.length === 0 ? (
          <p className="card empty">Nothing pulled with this environment's tokens yet. Give a token to the cluster and pull an image.</p>
        ) : null}
        {drift.data && drift.data.repositories.length > 0 ? (
          <DataTable
            caption={`What runs in ${name}, compared with the latest releases`}
            columns={driftColumns}
            rows={drift.data.repositories}
            rowKey={(r) => r.repository}
          />
        ) : null}
      </section>

      <section className="section" aria-labelledby="timeline-title">
        <h2 id="timeline-title" className="section-heading">
          Deployment timeline
        </h2>
        <ErrorAlert error={timeline.error} />
        {timeline.data?.deployments.length === 0 ? <p className="card empty">No deployments recorded yet.</p> : null}
        {deployments.length > 0 ? (
          <ol className="timeline" aria-label={`Deployments in ${name}, newest first`}>
            {deployments.map((d) => (
              <li key={`${d.repository}@${d.digest}@${d.firstSeen}`} className={d.running ? 'timeline-item timeline-item-running' : 'timeline-item'}>
                <div className="timeline-when">
                  <time dateTime={d.firstSeen}>{formatDateTime(d.firstSeen)}</time>
                </div>
                <div className="timeline-body">
                  <div className="timeline-title">
                    <ImageName repository={d.repository} tag={d.tag} />
                    {d.running ? <Badge tone="green">Running</Badge> : null}
                  </div>
                  <div className="timeline-meta">
                    <Digest digest={d.digest} /> · {d.pullCount} {d.pullCount === 1 ? 'pull' : 'pulls'} · last seen {formatRelative(d.lastSeen)} ·{' '}
                    <ReleaseLink release={d.release} />
                  </div>
                </div>
              </li>
            ))}
          </ol>
        ) : null}
        <ErrorAlert error={loadOlder.error} />
        {nextCursor ? (
          <div className="load-more">
            <button type="button" className="button" onClick={() => void loadMore()} disabled={loadOlder.pending}>
              {loadOlder.pending ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </section>

      <section className="section" aria-labelledby="tokens-title">
        <div className="section-header">
          <h2 id="tokens-title" className="section-heading">
            Tokens
          </h2>
          {me.can.manageTokens ? (
            <button type="button" className="button button-primary button-small" onClick={tokenDialogs.create}>
              Create token
            </button>
          ) : null}
        </div>
        {environment ? (
          <TokenTable
            me={me}
            tokens={environment.tokens}
            hideEnvironment
            onRevoke={tokenDialogs.revoke}
            onDelete={tokenDialogs.remove}
            onRotate={tokenDialogs.rotate}
            empty="This environment has no tokens. Create one for the cluster that runs it."
          />
        ) : null}
      </section>

      {tokenDialogs.dialogs}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${name}?`}
          confirmLabel="Delete environment"
          danger
          action={remove}
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            const answer = await remove.run(name);
            if (!answer) return;
            notify(`${name} deleted; ${answer.revokedTokens} ${answer.revokedTokens === 1 ? 'token' : 'tokens'} revoked`);
            navigate('/environments');
          }}
        >
          <p>Every token of {name} is revoked at once and its deployment history is dropped. The audit log keeps a record of what ran there.</p>
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
