import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { PACKAGE_ROOT } from '../support/package-root.js';

/**
 * server/tick-shape.ts: Node 20's nextTick leaves V8's fast path for good once full garbage collections free
 * its tick object's shape a few times (start-up does so in some processes and not in others). These tests
 * force that (ten full collections, each while no tick object is alive) and read what V8 remembers at the
 * tick literal's property definitions (`%DebugPrint` of nextTick, needs --allow-natives-syntax): MONOMORPHIC
 * is the fast path, MEGAMORPHIC the runtime one. If the control below starts failing after a Node upgrade,
 * that Node keeps the shape by itself and server/tick-shape.ts can go. V8 prints through C's stdio, which
 * loses output on the non-blocking pipe Node gives a child: each process here writes into a file instead.
 */

/** Ten full collections, each while no tick object is alive, a few ticks after each; then nextTick's feedback. */
const COLLECT_AND_PRINT = `
async function collectAndPrint() {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
    for (let k = 0; k < 3; k++) process.nextTick(() => undefined);
  }
  await new Promise((resolve) => setImmediate(resolve));
  process.stdout.write('\\n=== nextTick feedback\\n');
  new Function('f', '%DebugPrint(f)')(process.nextTick);
  process.stdout.write('\\n=== printed\\n');
}`;

const NODE_FLAGS = ['--expose-gc', '--allow-natives-syntax'];

/** The IC states V8 printed for the tick literal's property definitions, from the marker on. */
function literalStates(output: string): string[] {
  const start = output.lastIndexOf('=== nextTick feedback');
  expect(start, 'the feedback was printed').toBeGreaterThanOrEqual(0);
  return [...output.slice(start).matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1] as string);
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'fly-tick-shape-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the nextTick tick object shape', () => {
  const run = (keep: boolean) => {
    const module = pathToFileURL(join(PACKAGE_ROOT, 'dist/server/tick-shape.js')).href;
    const script = join(scratch, `run-${keep ? 'kept' : 'control'}.mjs`);
    writeFileSync(script, `${keep ? `(await import(${JSON.stringify(module)})).keepTickShape();` : ''}\n${COLLECT_AND_PRINT}\nawait collectAndPrint();\n`);
    const out = join(scratch, `out-${keep ? 'kept' : 'control'}.txt`);
    const fd = openSync(out, 'w');
    try {
      const child = spawnSync(process.execPath, [...NODE_FLAGS, script], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 30_000 });
      expect(child.status, child.stderr).toBe(0);
    } finally {
      closeSync(fd);
    }
    return literalStates(readFileSync(out, 'utf8'));
  };

  it('without the kept tick object, collections leave the literal megamorphic (the control: this Node loses the shape)', () => {
    const states = run(false);
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(states).toContain('MEGAMORPHIC');
  });

  it('with keepTickShape(), every property definition of the literal stays monomorphic through the same collections', () => {
    const states = run(true);
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(new Set(states)).toEqual(new Set(['MONOMORPHIC']));
  });
});

describe('the server keeps the shape (flyreg serve calls keepTickShape first)', () => {
  let server: TestServer;
  let log: string;
  beforeAll(async () => {
    const preload = join(scratch, 'collect-on-signal.cjs');
    writeFileSync(preload, `${COLLECT_AND_PRINT}\nprocess.on('SIGUSR2', () => void collectAndPrint());\n`);
    log = join(scratch, 'server.log');
    server = await startServer({ nodeArgs: [...NODE_FLAGS, '--require', preload], logFile: log });
  });
  afterAll(async () => server?.stop());

  it('after ten full collections while idle, nextTick is still on the fast path in the running server', async () => {
    // A request first, so the server's own HTTP and stream ticks have run.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    process.kill(server.pid, 'SIGUSR2');
    const deadline = Date.now() + 20_000;
    while (!server.output().includes('=== printed') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    // The server's exit flushes what C's stdio still holds.
    await server.kill();
    const states = literalStates(readFileSync(log, 'utf8'));
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(new Set(states)).toEqual(new Set(['MONOMORPHIC']));
  });
});
