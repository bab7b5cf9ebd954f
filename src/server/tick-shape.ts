import { createHook } from 'node:async_hooks';

/** The one tick object kept, so its shape outlives every garbage collection (see keepTickShape). */
let kept: object | undefined;

/**
 * Keeps one of Node's own `process.nextTick` tick objects alive for the life of the process, so that every
 * later tick object keeps the same V8 shape (hidden class) and nextTick stays on V8's fast path.
 *
 * Node's HTTP server and streams call nextTick several times per request. Its tick object is a literal with
 * computed keys, which V8 builds by defining one property after another; each definition site remembers the
 * shapes it saw. Those shapes are held only weakly (by V8's transition tree and by the sites' feedback), so
 * a full garbage collection at a moment when no tick object is alive frees them, and the next tick builds
 * new ones. After a few such collections during start-up, the sites have seen more shapes than V8 tracks
 * and stay "megamorphic" for good: every tick object is then built in V8's runtime, at 350–450 ns a tick
 * instead of 80–120 ns (Node 20; `test/scale/tick-shape.test.ts` reproduces it), 10–15% of a metadata
 * GET's CPU. Whether a server process went that way depended on when its collections fell: in 10 of 22
 * processes measured it did; with one tick object kept, in none of 32.
 *
 * The object is taken with an `init` hook enabled only around one nextTick call, then disabled, so no
 * async hook stays on (a lasting hook, or `executionAsyncResource()`, would cost every callback).
 */
export function keepTickShape(): void {
  if (kept) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && !kept) kept = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(() => undefined);
  } finally {
    hook.disable();
  }
  if (!kept) throw new Error('no tick object was seen: Node did not report its nextTick to the init hook');
}
