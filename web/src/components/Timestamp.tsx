import { formatDateTime } from '../format/dates';

interface TimestampProps {
  at: string | null;
  /** How the date reads in the page (formatDate, formatRelative); the tooltip always has the exact time. */
  format: (iso: string) => string;
  /** Shown, muted, when there is no date (e.g. "Never"). */
  missing?: string;
}

/** A date in a table cell: short for reading, exact in the tooltip, machine-readable in dateTime. */
export function Timestamp({ at, format, missing }: TimestampProps) {
  if (!at) return missing ? <span className="muted">{missing}</span> : null;
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {format(at)}
    </time>
  );
}
