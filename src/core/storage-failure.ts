/**
 * Recognizes the failures storage surfaces when it cannot do its work, so every protocol answers them in its
 * own format and the operator's log names the cause. Two kinds:
 * - `unwritable`: the disk is full or cannot be written (the filesystem blob store's errno codes, SQLite's and
 *   PostgreSQL's error codes): "insufficient storage", and readiness probes writes until they work again;
 * - `unavailable`: the database or the blob store could not be reached, did not answer in time, or is busy:
 *   "service unavailable", for the client to retry.
 * By code only: core imports no driver. The PostgreSQL and S3 adapters mark what they know to be their own
 * connections' failures (a timeout, a refused or lost connection, S3's 5xx) DATABASE_UNAVAILABLE and
 * BLOB_STORE_UNAVAILABLE: an ECONNRESET alone could as well be the client's own socket, which says nothing
 * about storage.
 */
export type StorageFailureKind = 'unwritable' | 'unavailable';

/** The code the SQL adapter gives a connection it could not get or lost, or a statement it gave up waiting for. */
export const DATABASE_UNAVAILABLE = 'FLY_DATABASE_UNAVAILABLE';
/** The code the S3 adapter gives a request the store did not answer in time, or answered with a 5xx. */
export const BLOB_STORE_UNAVAILABLE = 'FLY_BLOB_STORE_UNAVAILABLE';

/**
 * A storage adapter's own failure to reach its server (the database, the S3 store), marked with the adapter's
 * code so that every protocol answers it "unavailable". The driver's error, when there is one, is its cause.
 */
export class StorageUnavailableError extends Error {
  constructor(
    readonly code: typeof DATABASE_UNAVAILABLE | typeof BLOB_STORE_UNAVAILABLE,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const UNWRITABLE: Record<string, string> = {
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

const UNAVAILABLE: Record<string, string> = {
  [DATABASE_UNAVAILABLE]: 'the database could not be reached or did not answer in time',
  [BLOB_STORE_UNAVAILABLE]: 'the blob store could not be reached or did not answer in time',
  SQLITE_BUSY: 'the SQLite database stayed locked by another writer (SQLITE_BUSY)',
  // PostgreSQL SQLSTATEs (class 08, connection exceptions, is matched below).
  '57014': 'PostgreSQL: a statement ran past its time limit (57014 query_canceled)',
  '57P01': 'PostgreSQL is shutting down (57P01 admin_shutdown)',
  '57P02': 'PostgreSQL is restarting after a crash (57P02 crash_shutdown)',
  '57P03': 'PostgreSQL is not accepting connections yet (57P03 cannot_connect_now)',
  '53300': 'PostgreSQL has no connection slot left (53300 too_many_connections)',
  '55P03': 'PostgreSQL: a lock was not granted in time (55P03 lock_not_available)',
};

/** SQLite's extended codes for a failed write or read-only database all start so. */
const SQLITE_READONLY_FAMILY = /^SQLITE_READONLY_/;
/** SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT…: the database is busy, for another reason each. */
const SQLITE_BUSY_FAMILY = /^SQLITE_BUSY_/;
/** PostgreSQL's class 08: connection exceptions. */
const PG_CONNECTION_CLASS = /^08[0-9A-Z]{3}$/;

export interface StorageFailure {
  kind: StorageFailureKind;
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
    const failure = classify(code);
    if (failure) return failure;
  }
  return undefined;
}

function classify(code: string): StorageFailure | undefined {
  const unwritable = UNWRITABLE[code] ?? (SQLITE_READONLY_FAMILY.test(code) ? `the SQLite database cannot be written (${code})` : undefined);
  if (unwritable) return { kind: 'unwritable', code, cause: unwritable };
  const unavailable =
    UNAVAILABLE[code] ??
    (SQLITE_BUSY_FAMILY.test(code) ? `the SQLite database is busy (${code})` : undefined) ??
    (PG_CONNECTION_CLASS.test(code) ? `PostgreSQL: the connection failed (${code})` : undefined);
  if (unavailable) return { kind: 'unavailable', code, cause: unavailable };
  return undefined;
}
