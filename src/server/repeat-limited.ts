/** What a repeat-limited log writes: the first failure of a kind, or how many more came after it. */
export type RepeatLimitedLine = { kind: 'first'; error: unknown } | { kind: 'repeats'; error: unknown; count: number };

/** More kinds than this at once are not tracked: their failures are all written (a bound, not an expected case). */
const MAX_KINDS = 64;

/**
 * A log for failures that repeat on a timer (a background write retried every 250 ms while the database is
 * down): the first failure of a kind is written at once; the ones after it within `windowMs` are counted,
 * and when the window ends one line says how many there were (with the last of them). The next failure
 * after that starts a new window. A kind is the error's code, or else its message with its numbers left out:
 * two different causes never hide each other.
 */
export function repeatLimited(write: (line: RepeatLimitedLine) => void, windowMs: number): (error: unknown) => void {
  const windows = new Map<string, { count: number; last: unknown }>();
  return (error) => {
    const kind = kindOf(error);
    const open = windows.get(kind);
    if (open) {
      open.count++;
      open.last = error;
      return;
    }
    write({ kind: 'first', error });
    if (windows.size >= MAX_KINDS) return;
    const window = { count: 0, last: error as unknown };
    windows.set(kind, window);
    const timer = setTimeout(() => {
      windows.delete(kind);
      if (window.count > 0) write({ kind: 'repeats', error: window.last, count: window.count });
    }, windowMs);
    timer.unref();
  };
}

function kindOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Counts in a message ("dropped 35 events") do not make it another kind.
    return typeof code === 'string' ? `${error.name}:${code}` : `${error.name}:${error.message.replace(/\d+/g, '#')}`;
  }
  return String(error);
}
