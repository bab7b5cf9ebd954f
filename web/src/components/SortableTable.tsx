import { useMemo, useState, type ReactNode } from 'react';
import { DataTable, type SortDirection, type TableColumn } from './DataTable';

export interface Column<T> extends TableColumn<T> {
  /** The value sorted on; columns without one are not sortable. */
  sortValue?: (row: T) => string | number | null;
}

interface SortableTableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  initialSort?: { key: string; direction: SortDirection };
  empty: ReactNode;
}

/** A DataTable whose sortable columns have header buttons: click one (or press Enter on it) to sort. */
export function SortableTable<T>({ caption, columns, rows, rowKey, initialSort, empty }: SortableTableProps<T>) {
  const [sort, setSort] = useState(initialSort ?? null);
  const sorted = useMemo(() => {
    const column = sort && columns.find((c) => c.key === sort.key);
    if (!sort || !column?.sortValue) return rows;
    const value = column.sortValue;
    const factor = sort.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      // Missing values (never used, never expires) sort last in either direction.
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * factor;
    });
  }, [rows, columns, sort]);

  const toggle = (key: string) =>
    setSort((current) =>
      current?.key === key ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: 'ascending' },
    );

  const withSortButtons = columns.map((column) =>
    column.sortValue
      ? {
          ...column,
          header: (
            <button type="button" className="sort-button" onClick={() => toggle(column.key)}>
              {column.label}
              <span className="sort-indicator" aria-hidden="true">
                {sort?.key === column.key ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
              </span>
            </button>
          ),
        }
      : column,
  );

  return <DataTable caption={caption} columns={withSortButtons} rows={sorted} rowKey={rowKey} empty={empty} sortedBy={sort} />;
}
