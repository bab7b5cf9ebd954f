import { useState } from 'react';
import { getPackage, packageAction } from '../../api/endpoints';
import type { PackageDetail, PackageVersion } from '../../api/types';
import { Badge } from '../../components/Badge';
import { CopyButton } from '../../components/CopyButton';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { Timestamp } from '../../components/Timestamp';
import { Digest, EnvironmentSwatch } from '../../components/EnvironmentBits';
import { useNotify } from '../../components/Toasts';
import { formatDateTime, formatRelative } from '../../format/dates';
import { useAction, useAsync } from '../../hooks/useAsync';
import { Link, navigate } from '../../router/router';
import { consequences, type PendingChange } from './consequences';
import { formatSize, shortDigest, toneOf } from './protocols';

const ACTION_LABEL: Record<string, string> = {
  delete: 'Delete',
  deprecate: 'Deprecate',
  undeprecate: 'Undeprecate',
  yank: 'Yank',
  unyank: 'Un-yank',
};

/** Actions that take a message (npm's deprecation message, PyPI's yank reason). */
const WITH_MESSAGE = new Set(['deprecate', 'yank']);

function publisher(v: PackageVersion) {
  if (!v.publishedBy) return <span className="muted">unknown</span>;
  return (
    <span className="cell-stack">
      <span>{v.publishedBy.username}</span>
      {v.publishedBy.tokenName ? <small className="muted truncate" title={`token “${v.publishedBy.tokenName}”`}>token “{v.publishedBy.tokenName}”</small> : null}
    </span>
  );
}

/** The actions a version offers, given what the caller may do and the version's state. */
function versionActions(pkg: PackageDetail, v: PackageVersion): string[] {
  return pkg.actions.filter((a) => {
    if (a === 'deprecate') return !v.deprecated;
    if (a === 'undeprecate') return Boolean(v.deprecated);
    if (a === 'yank') return v.yanked === null;
    if (a === 'unyank') return v.yanked !== null;
    return true;
  });
}

function ChangeDialog({ pkg, change, onClose, onDone }: { pkg: PackageDetail; change: PendingChange; onClose: () => void; onDone: (after: PackageDetail | null) => void }) {
  const [message, setMessage] = useState('');
  const act = useAction(packageAction);
  const effects = consequences(pkg, change);
  const label = change.tag ? 'Delete tag' : (ACTION_LABEL[change.action] ?? change.action);
  const what = change.tag ? `${pkg.name}:${change.tag}` : pkg.protocol === 'oci' ? `${pkg.name}@${shortDigest(change.version.id)}` : `${pkg.displayName} ${change.version.id}`;
  const confirm = async () => {
    const answer = await act.run(pkg.protocol, pkg.name, change.action, { version: change.tag ?? change.version.id, ...(WITH_MESSAGE.has(change.action) ? { message } : {}) });
    if (answer) onDone('deleted' in answer ? null : answer);
  };
  const danger = change.action === 'delete';
  return (
    <Dialog title={`${label} ${what}?`} onClose={onClose}>
      <div className="confirm-text">
        <ul className="consequences">
          {effects.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {WITH_MESSAGE.has(change.action) ? (
          <div className="field">
            <label htmlFor="change-message">{change.action === 'yank' ? 'Reason (optional)' : 'Message shown to installers'}</label>
            <input id="change-message" value={message} onChange={(e) => setMessage(e.target.value)} required={change.action === 'deprecate'} />
          </div>
        ) : null}
      </div>
      <ErrorAlert error={act.error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className={danger ? 'button button-danger' : 'button button-primary'} onClick={() => void confirm()} disabled={act.pending}>
          {act.pending ? 'Working…' : label}
        </button>
      </div>
    </Dialog>
  );
}

export function PackagePage({ protocol, name }: { protocol: string; name: string }) {
  const loaded = useAsync(() => getPackage(protocol, name), [protocol, name]);
  const [override, setOverride] = useState<PackageDetail | null>(null);
  const [change, setChange] = useState<PendingChange | null>(null);
  const notify = useNotify();
  const pkg = override ?? loaded.data;
  const oci = protocol === 'oci';

  const columns: TableColumn<PackageVersion>[] = [
    {
      key: 'version',
      label: oci ? 'Tags' : 'Version',
      className: 'cell-name',
      render: (v) => (
        <span className="cell-stack">
          <span className="tag-list">
            {oci ? null : <strong>{v.id}</strong>}
            {v.tags.map((t) => (
              <span key={t} className="tag-chip">
                <code>{t}</code>
                {oci && pkg?.actions.includes('delete') ? (
                  <button type="button" className="icon-button" aria-label={`Delete tag ${t}`} title={`Delete tag ${t}`} onClick={() => setChange({ action: 'delete', version: v, tag: t })}>
                    ×
                  </button>
                ) : null}
              </span>
            ))}
            {oci && v.tags.length === 0 ? <span className="muted">untagged</span> : null}
          </span>
          {v.deprecated ? <Badge tone="amber">Deprecated: {v.deprecated}</Badge> : null}
          {v.yanked !== null ? <Badge tone="amber">Yanked{v.yanked ? `: ${v.yanked}` : ''}</Badge> : null}
        </span>
      ),
    },
    {
      key: 'digest',
      label: 'Digest',
      render: (v) =>
        v.digest ? (
          <Digest digest={v.digest} />
        ) : (
          <span className="muted">{v.files.length} files</span>
        ),
    },
    {
      key: 'kind',
      label: 'Kind',
      render: (v) => (
        <span className="cell-stack">
          <span className="truncate kind" title={v.kind}>
            {v.kind}
          </span>
          {v.platforms.length > 0 ? <small className="muted">{v.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(', ')}</small> : null}
        </span>
      ),
    },
    { key: 'size', label: 'Size', render: (v) => formatSize(v.size) },
    { key: 'created', label: 'Created', render: (v) => <Timestamp at={v.createdAt} format={formatRelative} /> },
    { key: 'publisher', label: 'Published by', render: publisher },
    {
      key: 'install',
      label: oci ? 'Pull' : 'Install',
      className: 'cell-install',
      render: (v) => (
        <span className="install-line">
          <code className="code-inline truncate" title={v.install}>
            {v.install}
          </code>
          <CopyButton text={v.install} describe={`Copy ${v.install}`} />
        </span>
      ),
    },
    {
      key: 'actions',
      label: 'Actions',
      className: 'cell-actions',
      render: (v) => {
        const actions = versionActions(pkg as PackageDetail, v);
        if (actions.length === 0) return <span className="muted" title="Changing versions needs a read & write token or a signed-in user with delete rights">—</span>;
        return (
          <span className="row-actions">
            {actions.map((a) => (
              <button key={a} type="button" className={a === 'delete' ? 'button button-small button-danger-outline' : 'button button-small'} onClick={() => setChange({ action: a, version: v })}>
                {ACTION_LABEL[a] ?? a}
              </button>
            ))}
          </span>
        );
      },
    },
  ];

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/packages">Packages</Link> <span aria-hidden="true">/</span> <span aria-current="page">{pkg?.displayName ?? name}</span>
      </nav>
      <ErrorAlert error={loaded.error} />
      {pkg ? (
        <>
          <PageHeader
            title={pkg.displayName}
            description={
              <>
                <Badge tone={toneOf(pkg.protocol)}>{pkg.protocol === 'oci' ? 'Docker / OCI' : pkg.protocol === 'pypi' ? 'PyPI' : pkg.protocol}</Badge>{' '}
                {pkg.versionCount} {oci ? 'tags' : 'versions'}, updated {formatRelative(pkg.updatedAt)}
                {pkg.latest ? (
                  <>
                    {' '}
                    · latest <code className="code-inline">{pkg.latest}</code>
                  </>
                ) : null}
              </>
            }
          />
          <section className="section" aria-labelledby="package-versions">
            <h2 id="package-versions" className="section-heading">
              {oci ? 'Images' : 'Versions'}
            </h2>
            {pkg.truncated ? <p className="muted">Only the newest versions are listed.</p> : null}
            <DataTable caption={oci ? 'Images' : 'Versions'} columns={columns} rows={pkg.versions} rowKey={(v) => v.id} empty={<p className="empty">No versions.</p>} />
          </section>
          {oci ? (
            <section className="section" aria-labelledby="package-deployments">
              <h2 id="package-deployments" className="section-heading">
                Where it runs
              </h2>
              {pkg.deployments.length === 0 ? (
                <p className="muted">No environment has pulled this image with an environment token yet.</p>
              ) : (
                <DataTable
                  caption="Where it runs"
                  rows={pkg.deployments}
                  rowKey={(d) => `${d.environment}:${d.digest}:${d.firstSeen}`}
                  columns={[
                    {
                      key: 'environment',
                      label: 'Environment',
                      render: (d) => (
                        <Link to={`/environments/${encodeURIComponent(d.environment)}`} className="strong-link">
                          <EnvironmentSwatch color={d.environmentColor} /> {d.environment}
                        </Link>
                      ),
                    },
                    { key: 'digest', label: 'Digest', render: (d) => <Digest digest={d.digest} /> },
                    { key: 'tag', label: 'Pulled as', render: (d) => (d.tag ? <code className="code-inline">{d.tag}</code> : <span className="muted">by digest</span>) },
                    { key: 'state', label: 'State', render: (d) => (d.running ? <Badge tone="green">Running</Badge> : <Badge tone="grey">Replaced</Badge>) },
                    { key: 'seen', label: 'First / last pulled', render: (d) => <span title={`${formatDateTime(d.firstSeen)} – ${formatDateTime(d.lastSeen)}`}>{formatRelative(d.firstSeen)} / {formatRelative(d.lastSeen)}</span> },
                    { key: 'pulls', label: 'Pulls', render: (d) => d.pullCount },
                  ]}
                />
              )}
            </section>
          ) : null}
          <section className="section" aria-labelledby="package-releases">
            <h2 id="package-releases" className="section-heading">
              Releases containing it
            </h2>
            {pkg.releases.length === 0 ? (
              <p className="muted">No release names it yet.</p>
            ) : (
              <ul className="plain-list">
                {pkg.releases.map((r) => (
                  <li key={r.id}>
                    <Link to={`/releases/${r.id}`} className="strong-link">
                      {r.name} {r.version}
                    </Link>{' '}
                    <span className="muted">
                      {formatRelative(r.createdAt)} by {r.createdBy}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
      {pkg && change ? (
        <ChangeDialog
          pkg={pkg}
          change={change}
          onClose={() => setChange(null)}
          onDone={(after) => {
            setChange(null);
            notify(`${change.tag ? 'Tag deleted' : `${ACTION_LABEL[change.action] ?? change.action}: done`}`);
            if (after) setOverride(after);
            else navigate('/packages');
          }}
        />
      ) : null}
    </>
  );
}
