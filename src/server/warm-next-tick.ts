/**
 * Calls process.nextTick many times before the server starts anything else. Node's HTTP server and streams
 * call it several times per request (a response's write, a request body's end, the socket's resume), and V8
 * inlines it into each of those callers. In about half of the server processes started without this
 * warm-up, the start-up work (migrations, the first queries, the first requests) left V8 creating every tick
 * object through its slow runtime path for the rest of the process's life: about 13-15% of the CPU of a
 * memory-lane GET (perf: V8's Runtime_DefineKeyedOwnPropertyInLiteral and MigrateToMap under nextTick's
 * tick-object literal), a nextTick costing 350-650 ns instead of 50-150 ns; 8 of 18 processes measured.
 * With nextTick optimized first, while every tick it has seen had the same shape, none of 28 went that way.
 * Bounded: 100,000 empty ticks in batches, a few milliseconds once per server process.
 */
export async function warmNextTick(): Promise<void> {
  const nothing = (): void => undefined;
  for (let batch = 0; batch < 10; batch++) {
    for (let i = 0; i < 10_000; i++) process.nextTick(nothing);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
