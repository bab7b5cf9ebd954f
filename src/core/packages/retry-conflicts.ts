import { isAppError } from '../errors.js';

/** How many times a package write runs in all when it keeps losing races (each loss means another writer got through). */
const WRITE_ATTEMPTS = 4;

export function isConflict(error: unknown): boolean {
  return isAppError(error) && error.code === 'conflict';
}

/**
 * Runs a package write (one transaction) and runs it again, a bounded number of times, when it failed with a
 * conflict: clients publishing several versions of one package at once (CI jobs, a monorepo release) race to
 * create the package row, and on PostgreSQL the losers' transactions end with a unique violation. Run again,
 * they find the package. A conflict that is the client's own (a version already published) fails the same
 * way on every attempt and is answered as such; `keepTrying` may stop earlier when it can tell.
 */
export async function retryOnConflict<T>(write: () => Promise<T>, keepTrying: (error: unknown) => Promise<boolean> | boolean = () => true): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !isConflict(error) || !(await keepTrying(error))) throw error;
    }
  }
}
