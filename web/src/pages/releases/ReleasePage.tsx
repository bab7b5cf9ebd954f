import { getRelease } from '../../api/endpoints';
import type { Release, ReleaseArtifact } from '../../api/types';
import { Badge } from '../../components/Badge';
import { CopyButton } from '../../components/CopyButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format/dates';
import { useAsync } from '../../hooks/useAsync';
import { Link } from '../../router/router';

/** How a release names an artifact's type; a protocol without a label here shows its id. */
const TYPE_LABEL: Record<string, string> = { oci: 'Image', npm: 'npm', pypi: 'PyPI', maven: 'Maven', generic: 'File', go: 'Go module', helm: 'Helm chart', cargo: 'Crate' };

/** What a person pastes to fetch the artifact: image@digest or name@version / name==version. */
function reference(artifact: ReleaseArtifact): string {
  if (artifact.type === 'oci') return `${artifact.repository}@${artifact.digest}`;
  return artifact.type === 'npm' ? `${artifact.name}@${artifact.version}` : `${artifact.name}==${artifact.version}`;
}

/** Only http(s) links are made clickable; anything else is shown as text. */
const safeUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

function SourceDetails({ source }: { source: Release['source'] }) {
  const url = safeUrl(source.url);
  const rows: [string, string | null][] = [
    ['Commit', source.commit],
    ['Branch', source.branch],
    ['Pull request', source.pr],
    ['Author', source.author],
  ];
  if (!url && rows.every(([, v]) => !v)) return <p className="muted">No source recorded.</p>;
  return (
    <dl className="details">
      {rows.map(([label, value]) =>
        value ? (
          <div key={label} className="details-row">
            <dt>{label}</dt>
            <dd>{label === 'Commit' ? <code>{value}</code> : value}</dd>
          </div>
        ) : null,
      )}
      {url ? (
        <div className="details-row">
          <dt>CI run</dt>
          <dd>
            <a href={url} target="_blank" rel="noreferrer noopener">
              {url}
            </a>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

export function ReleasePage({ id }: { id: string }) {
  const release = useAsync(() => getRelease(id), [id]);
  const r = release.data;
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/releases">Releases</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{r ? `${r.name} ${r.version}` : id}</span>
      </nav>
      <ErrorAlert error={release.error} />
      {r ? (
        <>
          <PageHeader title={`${r.name} ${r.version}`} description={`Recorded by ${r.createdBy} on ${formatDateTime(r.createdAt)}. Releases are immutable.`} />
          <div className="card-grid">
            <section className="card" aria-labelledby="release-source">
              <h2 id="release-source" className="card-title">
                Source
              </h2>
              <SourceDetails source={r.source} />
            </section>
            <section className="card" aria-labelledby="release-notes">
              <h2 id="release-notes" className="card-title">
                Notes
              </h2>
              {r.notes ? <p className="notes">{r.notes}</p> : <p className="muted">No notes.</p>}
            </section>
          </div>
          <section className="section" aria-labelledby="release-artifacts">
            <h2 id="release-artifacts" className="section-heading">
              Artifacts
            </h2>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Artifacts of this release</caption>
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Name</th>
                    <th scope="col">Version or digest</th>
                    <th scope="col" className="cell-actions">
                      Reference
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.artifacts.map((a) => (
                    <tr key={reference(a)}>
                      <td data-label="Type">
                        <Badge tone={a.type === 'oci' ? 'blue' : a.type === 'npm' ? 'red' : 'violet'}>{TYPE_LABEL[a.type] ?? a.type}</Badge>
                      </td>
                      <td data-label="Name">
                        <strong>{a.type === 'oci' ? a.repository : a.name}</strong>
                      </td>
                      <td data-label="Version or digest">
                        <code className="code-inline digest-full">{a.type === 'oci' ? a.digest : a.version}</code>
                      </td>
                      <td data-label="Reference" className="cell-actions">
                        <CopyButton text={reference(a)} describe={`Copy reference ${reference(a)}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
    </>
  );
}
