import type { KeysetList } from '../hooks/useKeysetList';

/** The button under a keyset-paged list that appends older items; absent once there are none. */
export function LoadMoreButton({ list, label }: { list: KeysetList<unknown>; label: string }) {
  if (!list.hasMore) return null;
  return (
    <div className="load-more">
      <button type="button" className="button" onClick={() => void list.loadMore()} disabled={list.pending}>
        {list.pending ? 'Loading…' : label}
      </button>
    </div>
  );
}
