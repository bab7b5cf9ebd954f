import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { useAction } from './useAsync';

/** One page of a list the API pages by key: its items, and the key that asks for the next, older page. */
export interface KeysetPage<T> {
  items: T[];
  nextBefore: number | null;
}

export interface KeysetList<T> {
  /** Every item loaded so far, newest first. */
  items: T[];
  /** False until the first page has arrived, so an empty list is not mistaken for "nothing recorded". */
  loaded: boolean;
  pending: boolean;
  error: ApiError | null;
  /** Whether the API has older items than those loaded. */
  hasMore: boolean;
  /** Loads the first page again, replacing the items. */
  refresh: () => Promise<void>;
  /** Appends the next, older page. */
  loadMore: () => Promise<void>;
}

/**
 * A keyset-paged list (newest first), loaded on mount, with "load older" and refresh.
 * `loadPage` must keep its identity across renders (declare it at module level).
 */
export function useKeysetList<T>(loadPage: (before?: number) => Promise<KeysetPage<T>>): KeysetList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(false);
  const { run, pending, error } = useAction(loadPage);

  const fetchPage = useCallback(
    async (before?: number) => {
      const page = await run(before);
      if (!page) return;
      setItems((current) => (before ? [...current, ...page.items] : page.items));
      setNextBefore(page.nextBefore);
      setLoaded(true);
    },
    [run],
  );

  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);

  return {
    items,
    loaded,
    pending,
    error,
    hasMore: Boolean(nextBefore),
    refresh: () => fetchPage(),
    loadMore: () => (nextBefore ? fetchPage(nextBefore) : Promise.resolve()),
  };
}
