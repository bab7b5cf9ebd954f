import type { ReactNode } from 'react';

export interface TableColumn<T> {
  key: string;
  /** The column's name: the header, and each cell's data-label (shown beside the value on a phone). */
  label: string;
  /** What the header shows instead of the label, when it needs more (a colour swatch, a sort button). */
  header?: ReactNode;
  render: (row: T) => ReactNode;
  /** A class for the header and the cells. */
  className?: string;
  /** A class for the cells only, in place of `className` (the header keeps the table's default look). */
  cellClassName?: string;
}

export type SortDirection = 'ascending' | 'descending';

interface DataTableProps<T> {
  /** Names the table for screen readers; it is not shown. */
  caption: ReactNode;
  columns: TableColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Shown in one full-width row when there are no rows. */
  empty?: ReactNode;
  /** The column the rows are sorted by, announced with aria-sort. */
  sortedBy?: { key: string; direction: SortDirection } | null;
}

/**
 * The dashboard's table markup: a hidden caption, column headers, one row per item. Under 720 px wide
 * each row becomes a card whose cells carry their column name (data-label), so nothing overflows a phone.
 */
export function DataTable<T>({ caption, columns, rows, rowKey, empty, sortedBy }: DataTableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.className} aria-sort={sortedBy?.key === column.key ? sortedBy.direction : undefined}>
                {column.header ?? column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty !== undefined ? (
            <tr className="empty-row">
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key} data-label={column.label} className={column.cellClassName ?? column.className}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
