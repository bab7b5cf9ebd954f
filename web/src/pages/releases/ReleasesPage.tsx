import { useMemo, useState } from 'react';
import { listReleases } from '../../api/endpoints';
import type { Release } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import { PageHeader } from '../../components/PageHeader';
import { SortableTable, type Column } from '../../components/SortableTable';
import { Timestamp } from '../../components/Timestamp';
import { formatDate } from '../../format/dates';
import { useKeysetList } from '../../hooks/useKeysetList';
import { Link } from '../../router/router';

/** What one artifact of each protocol is called; a protocol added later reads "<id> artifact". */
const ARTIFACT_LABEL: Record<string, string> = {
  oci: 'image',
  npm: 'npm package',
  pypi: 'Python package',
  maven: 'Maven artifact',
  generic: 'generic file set',
  go: 'Go module',
  helm: 'Helm chart',
  cargo: 'crate',
};

const artifactKinds = (r: Release) => {
  const counts = new Map<string, number>();
  for (const a of r.artifacts) counts.set(a.type, (counts.get(a.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => `${n} ${ARTIFACT_LABEL[type] ?? `${type} artifact`}${n === 1 ? '' : 's'}`).join(', ');
};

const loadReleasesPage = async (before?: number) => {
  const page = await listReleases(before);
  return { items: page.releases, nextBefore: page.nextBefore };
};

/** Releases recorded by CI or people, newest first; filtered in the page by name, version, commit or branch. */
export function ReleasesPage() {
  const list = useKeysetList(loadReleasesPage);
  const releases = list.items;
  const [query, setQuery] = useState('');

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle) return releases;
    return releases.filter((r) => [r.name, r.version, r.source.commit, r.source.branch, r.createdBy].some((f) => f?.toLowerCase().includes(needle)));
  }, [releases, query]);

  const columns: Column<Release>[] = [
    {
      key: 'name',
      label: 'Release',
      sortValue: (r) => r.name,
      render: (r) => (
        <Link to={`/releases/${r.id}`} className="strong-link">
          {r.name}
        </Link>
      ),
    },
    { key: 'version', label: 'Version', sortValue: (r) => r.version, render: (r) => <code className="code-inline">{r.version}</code> },
    { key: 'artifacts', label: 'Artifacts', sortValue: (r) => r.artifacts.length, render: artifactKinds },
    {
      key: 'source',
      label: 'Source',
      render: (r) =>
        r.source.commit || r.source.branch ? (
          <span className="cell-stack">
            {r.source.branch ? <span>{r.source.branch}</span> : null}
            {r.source.commit ? <small className="muted">{r.source.commit.slice(0, 12)}</small> : null}
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    { key: 'createdBy', label: 'Created By', sortValue: (r) => r.createdBy, render: (r) => r.createdBy },
    {
      key: 'createdAt',
      label: 'Created',
      sortValue: (r) => r.id,
      render: (r) => <Timestamp at={r.createdAt} format={formatDate} />,
    },
  ];

  return (
    <>
      <PageHeader title="Releases" description="Immutable sets of images and packages, recorded by CI with a read & write token (POST /api/v1/releases)." />
      <div className="toolbar">
        <div className="field field-compact">
          <label htmlFor="release-search">Search</label>
          <input id="release-search" type="search" placeholder="Name, version, commit or branch" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
      </div>
      <ErrorAlert error={list.error} title="Could not load the releases." />
      {list.loaded ? (
        <SortableTable
          caption="Releases"
          columns={columns}
          rows={shown}
          rowKey={(r) => String(r.id)}
          initialSort={{ key: 'createdAt', direction: 'descending' }}
          empty={<p className="empty">{releases.length === 0 ? 'No releases recorded yet.' : 'No release matches this search.'}</p>}
        />
      ) : null}
      <LoadMoreButton list={list} label="Load older releases" />
    </>
  );
}
