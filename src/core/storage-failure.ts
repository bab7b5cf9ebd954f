/**
 * Recognizes the failures storage surfaces when the disk is full or cannot be written (the filesystem blob
 * store's errno codes, SQLite's and PostgreSQL's error codes), so every protocol answers them as
 * "insufficient storage" and the operator's log names the cause. By code only: core imports no driver.
 */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'the disk quota is exceeded (EDQUOT)',
  EROFS: 'the file system is read-only (EROFS)',
  EACCES: 'permission denied on the data directory (EACCES)',
  EPERM: 'operation not permitted on the data directory (EPERM)',
  SQLITE_FULL: 'the SQLite database or its disk is full (SQLITE_FULL)',
  SQLITE_READONLY: 'the SQLite database cannot be written (SQLITE_READONLY)',
  SQLITE_IOERR_WRITE: 'the SQLite database could not be written (SQLITE_IOERR_WRITE)',
  SQLITE_CANTOPEN: 'the SQLite database or its journal cannot be opened (SQLITE_CANTOPEN)',
  // PostgreSQL SQLSTATEs: disk_full, insufficient_resources, read_only_sql_transaction.
  '53100': 'PostgreSQL: its disk is full (53100 disk_full)',
  '53000': 'PostgreSQL: insufficient resources (53000)',
  '25006': 'PostgreSQL is read-only (25006 read_only_sql_transaction)',
};

/** SQLite's extended codes for a failed write or read-only database all start so. */
const SQLITE_READONLY_FAMILY = /^SQLITE_READONLY_/;

export interface StorageFailure {
  /** The error code as the driver or the OS gave it. */
  code: string;
  /** What it means, for the log and the client's message. */
  cause: string;
}

/** The storage failure behind `error` (itself or any `cause` under it), or undefined for anything else. */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    const cause = CAUSES[code] ?? (SQLITE_READONLY_FAMILY.test(code) ? `the SQLite database cannot be written (${code})` : undefined);
    if (cause) return { code, cause };
  }
  return undefined;
}
