import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api/client';
import { listPackages } from '../../api/endpoints';
import type { PackageEntry, PackagePage } from '../../api/types';
import { Badge } from '../../components/Badge';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { Timestamp } from '../../components/Timestamp';
import { formatRelative } from '../../format/dates';
import { useAction } from '../../hooks/useAsync';
import { Link } from '../../router/router';
import { packagePath, toneOf } from './protocols';

/** How long typing pauses before the search asks the server. */
const SEARCH_DELAY_MS = 250;

/** Everything the registry stores, across protocols: searched and filtered on the server, paged by name. */
export function PackagesPage() {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [protocol, setProtocol] = useState('');
  const [entries, setEntries] = useState<PackageEntry[]>([]);
  const [page, setPage] = useState<PackagePage | null>(null);
  const { run, pending, error } = useAction(listPackages);
  // Only the newest request's answer is shown: an older, slower one must not overwrite it.
  const latestRequest = useRef(0);

  useEffect(() => {
    const timer = window.setTimeout(() => setSearch(text.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const load = useCallback(
    async (after: string | null) => {
      const request = ++latestRequest.current;
      const answer = await run({ q: search, protocol, after });
      if (!answer || request !== latestRequest.current) return;
      setEntries((current) => (after ? [...current, ...answer.packages] : answer.packages));
      setPage(answer);
    },
    [run, search, protocol],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const labels = new Map((page?.protocols ?? []).map((p) => [p.protocol, p.label]));
  const columns: TableColumn<PackageEntry>[] = [
    {
      key: 'name',
      label: 'Name',
      className: 'cell-name',
      render: (e) => (
        <Link to={packagePath(e.protocol, e.name)} className="strong-link truncate" title={e.displayName}>
          {e.displayName}
        </Link>
      ),
    },
    { key: 'protocol', label: 'Type', render: (e) => <Badge tone={toneOf(e.protocol)}>{labels.get(e.protocol) ?? e.protocol}</Badge> },
    {
      key: 'latest',
      label: 'Latest',
      render: (e) => (e.latest ? <code className="code-inline truncate" title={e.latest}>{e.latest}</code> : <span className="muted">—</span>),
    },
    { key: 'versions', label: 'Versions / tags', render: (e) => e.versionCount },
    { key: 'updated', label: 'Updated', render: (e) => <Timestamp at={e.updatedAt} format={formatRelative} /> },
  ];

  return (
    <>
      <PageHeader title="Packages" description="Everything stored in this registry: images, npm packages and Python projects." />
      <div className="toolbar">
        <div className="field field-compact">
          <label htmlFor="package-search">Search</label>
          <input id="package-search" type="search" placeholder="Name contains…" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field field-compact">
          <label htmlFor="package-protocol">Type</label>
          <select id="package-protocol" className="select-compact" value={protocol} onChange={(e) => setProtocol(e.target.value)}>
            <option value="">All types</option>
            {(page?.protocols ?? []).map((p) => (
              <option key={p.protocol} value={p.protocol}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert error={error as ApiError | null} title="Could not load the packages." />
      {page ? (
        <DataTable
          caption="Packages"
          columns={columns}
          rows={entries}
          rowKey={(e) => `${e.protocol}:${e.name}`}
          empty={<p className="empty">{search || protocol ? 'Nothing matches this search.' : 'Nothing stored yet: push an image or publish a package.'}</p>}
        />
      ) : null}
      {page?.next ? (
        <div className="load-more">
          <button type="button" className="button" onClick={() => void load(page.next)} disabled={pending}>
            {pending ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}
