/**
 * One page of a keyset-paged list, from rows the store read with a limit one greater than the page's:
 * the extra row, when it came, proves an older page exists and is not shown. So `next` is null exactly
 * when nothing is left, and "Load more" never offers a page that turns out empty.
 */
export function keysetPage<T, K>(rows: T[], limit: number, keyOf: (row: T) => K): { items: T[]; next: K | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? keyOf(last) : null };
}
