import { compareEnvironments, listEnvironments } from '../../api/endpoints';
import type { RunningImage } from '../../api/types';
import { Digest, EnvironmentSwatch, ReleaseLink } from '../../components/EnvironmentBits';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAsync } from '../../hooks/useAsync';
import { Link, navigate, useLocation } from '../../router/router';

function Side({ image }: { image: RunningImage | null }) {
  if (!image) return <span className="muted">Not running</span>;
  return (
    <span className="cell-stack">
      <span>
        <Digest digest={image.digest} /> {image.tag ? <span className="muted">:{image.tag}</span> : null}
      </span>
      <small>
        <ReleaseLink release={image.release} />
      </small>
    </span>
  );
}

function SideHeading({ name, color }: { name: string; color: string | null }) {
  return (
    <span className="environment-heading">
      <EnvironmentSwatch color={color} /> {name}
    </span>
  );
}

/** Two environments side by side: the repositories whose running images differ. The choice lives in the URL. */
export function ComparePage() {
  const { search } = useLocation();
  const environments = useAsync(listEnvironments, []);
  const list = environments.data ?? [];
  const a = search.get('a') ?? list[0]?.name ?? '';
  const b = search.get('b') ?? list.find((e) => e.name !== a)?.name ?? '';
  const ready = a !== '' && b !== '' && a !== b;
  const comparison = useAsync(() => (ready ? compareEnvironments(a, b) : Promise.resolve(null)), [a, b, ready]);
  const colorOf = (name: string) => list.find((e) => e.name === name)?.color ?? null;

  const choose = (next: { a: string; b: string }) => {
    navigate(`/environments/compare?a=${encodeURIComponent(next.a)}&b=${encodeURIComponent(next.b)}`, { replace: true });
  };

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/environments">Environments</Link> <span aria-hidden="true">/</span> <span aria-current="page">Compare</span>
      </nav>
      <PageHeader title="Compare environments" description="Repositories whose running images differ between two environments, with the release each side runs." />
      <div className="toolbar">
        {(['a', 'b'] as const).map((side) => (
          <div className="field field-compact" key={side}>
            <label htmlFor={`compare-${side}`}>{side === 'a' ? 'Environment' : 'Compared with'}</label>
            <select id={`compare-${side}`} value={side === 'a' ? a : b} onChange={(e) => choose({ a, b, [side]: e.target.value })}>
              {list.map((env) => (
                <option key={env.id} value={env.name}>
                  {env.name}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <ErrorAlert error={environments.error ?? comparison.error} />
      {list.length < 2 && environments.data ? <p className="card empty">Create at least two environments to compare them.</p> : null}
      {a !== '' && a === b ? <p className="alert alert-info">Pick two different environments.</p> : null}
      {comparison.data?.repositories.length === 0 ? (
        <p className="card empty">
          {a} and {b} run the same images.
        </p>
      ) : null}
      {comparison.data && comparison.data.repositories.length > 0 ? (
        <DataTable
          caption={`Differences between ${a} and ${b}`}
          columns={[
            { key: 'repository', label: 'Repository', render: (r) => <strong>{r.repository}</strong> },
            { key: 'a', label: a, header: <SideHeading name={a} color={colorOf(a)} />, render: (r) => <Side image={r.a} /> },
            { key: 'b', label: b, header: <SideHeading name={b} color={colorOf(b)} />, render: (r) => <Side image={r.b} /> },
          ]}
          rows={comparison.data.repositories}
          rowKey={(r) => r.repository}
        />
      ) : null}
    </>
  );
}
