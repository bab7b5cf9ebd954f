/** A route's params, as the kit hands them to `resource` and then to the handler or memory answer. */
type Params = Record<string, string>;

/**
 * A route's path parse, done once per request: the kit's `resource` (for authorization) and then the
 * handler or memory answer read the same request's path, from the same params object (kit/mount.ts,
 * kit/memory-lane.ts), which keys the parse. Another params object is parsed afresh: never a stale answer.
 */
export function parsedOncePerRequest<T>(parse: (params: Params) => T): (params: Params) => T {
  const parsed = new WeakMap<Params, { value: T }>();
  return (params) => {
    let entry = parsed.get(params);
    if (entry === undefined) {
      entry = { value: parse(params) };
      parsed.set(params, entry);
    }
    return entry.value;
  };
}
