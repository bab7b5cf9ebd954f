/** How many recent texts a memoized parse remembers; when full it starts afresh (a burst of new paths costs parses, nothing more). */
const REMEMBERED = 256;
/** Longer texts are parsed every time: no path a client legitimately repeats is this long. */
const LONGEST_KEY = 1024;

/**
 * A pure parse of a request path, remembered for the texts it saw last: the kit's `resource` (for
 * authorization) and then the handler or memory answer both read the path, and a busy registry is asked for
 * the same few paths again and again (Maven, Go, generic files). The parse depends on the text alone, so a remembered answer
 * is never stale; it is frozen, so no request can change what the next one gets. A parse that throws is not
 * remembered: the refusal is made afresh each time.
 */
export function memoizedParse<T extends object>(parse: (text: string) => T): (text: string) => T {
  const remembered = new Map<string, T>();
  return (text) => {
    const known = remembered.get(text);
    if (known !== undefined) return known;
    const parsed = deepFreeze(parse(text));
    if (text.length <= LONGEST_KEY) {
      if (remembered.size >= REMEMBERED) remembered.clear();
      remembered.set(text, parsed);
    }
    return parsed;
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  return Object.freeze(value);
}
