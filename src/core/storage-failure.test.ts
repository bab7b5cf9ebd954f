import { describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE, storageFailureOf } from './storage-failure.js';

const failing = (code: string, cause?: unknown) => Object.assign(new Error(`failed: ${code}`), { code, cause });

describe('storageFailureOf', () => {
  it('tells a storage that cannot be written from one that does not answer', () => {
    expect(storageFailureOf(failing('ENOSPC'))).toMatchObject({ kind: 'unwritable', code: 'ENOSPC' });
    expect(storageFailureOf(failing('SQLITE_READONLY_DBMOVED'))).toMatchObject({ kind: 'unwritable' });
    expect(storageFailureOf(failing('53100'))).toMatchObject({ kind: 'unwritable' });
    expect(storageFailureOf(failing(DATABASE_UNAVAILABLE))).toMatchObject({ kind: 'unavailable' });
    expect(storageFailureOf(failing('SQLITE_BUSY'))).toMatchObject({ kind: 'unavailable' });
    expect(storageFailureOf(failing('SQLITE_BUSY_SNAPSHOT'))).toMatchObject({ kind: 'unavailable' });
    expect(storageFailureOf(failing('57014'))).toMatchObject({ kind: 'unavailable' });
    expect(storageFailureOf(failing('08006'))).toMatchObject({ kind: 'unavailable', cause: 'PostgreSQL: the connection failed (08006)' });
  });

  it('finds the failure under the errors that wrap it', () => {
    expect(storageFailureOf(new Error('saving failed', { cause: failing('x', failing('57P01')) }))).toMatchObject({ kind: 'unavailable', code: '57P01' });
  });

  it("leaves a socket's own errors alone: an ECONNRESET may be the client's, and says nothing about storage", () => {
    expect(storageFailureOf(failing('ECONNRESET'))).toBeUndefined();
    expect(storageFailureOf(failing('EPIPE'))).toBeUndefined();
    expect(storageFailureOf(failing('23505'))).toBeUndefined();
    expect(storageFailureOf(new Error('no code'))).toBeUndefined();
  });
});
