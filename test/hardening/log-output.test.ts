import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/free-port.js';
import { PACKAGE_ROOT } from '../support/package-root.js';
import { stopProcess } from '../support/stop-process.js';

const LOGS = pathToFileURL(join(PACKAGE_ROOT, 'dist/server/logger.js')).href;
const OUTPUT = pathToFileURL(join(PACKAGE_ROOT, 'dist/server/log-output.js')).href;
const LINES = 20_000;
const BOUND = 64 * 1024;

/**
 * A process logging through the server's own logs (dist/server/logger.js) to its real stdout, a pipe, with a
 * 64 KiB bound: it logs LINES access lines, says so over IPC, and on 'finish' writes out what is left and exits.
 */
const CHILD = `
const { createLogs } = await import(${JSON.stringify(LOGS)});
const { stdoutDestination } = await import(${JSON.stringify(OUTPUT)});
const logs = createLogs('info', stdoutDestination(${BOUND}));
for (let i = 0; i < ${LINES}; i++) {
  logs.access({ reqId: 'req-' + i, method: 'GET', url: '/line/' + i, route: '/line/:n', status: 200, ms: 1, ip: '127.0.0.1' });
  if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
}
setTimeout(() => process.send('written'), 200);
process.on('message', () => setTimeout(() => { logs.flush(); process.exit(0); }, 1000));
`;

describe('logs to a stdout that stalls or fails', () => {
  it('keeps running, holds at most its bound, drops whole lines and says how many once stdout is read again', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const stdout = child.stdout;
    if (!stdout) throw new Error('no stdout pipe');
    // Nothing is read until the child has logged every line: the pipe and this side's buffer fill, then stay full.
    stdout.pause();
    const written = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    // Logging never waited for the reader: a process blocked on its stdout would not have got here.
    expect(written).toBe(true);
    let output = '';
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stdout.resume();
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    child.send('finish');
    expect(await closed).toBe(0);

    const lines = output.split('\n').filter(Boolean);
    // Whole lines only: every write was kept or dropped as a whole.
    const parsed = lines.map((line) => JSON.parse(line) as { msg: string; droppedLines?: number; reqId?: string });
    const requests = parsed.filter((line) => line.msg === 'request');
    const dropped = parsed.filter((line) => line.droppedLines !== undefined).reduce((sum, line) => sum + (line.droppedLines ?? 0), 0);
    // The bound held: most lines never waited in memory (what arrived is the bound plus what the pipe held).
    expect(dropped).toBeGreaterThan(LINES / 2);
    // And the count is exact: every line logged either arrived or was counted as dropped.
    expect(requests.length + dropped).toBe(LINES);
    expect(new Set(requests.map((line) => line.reqId)).size).toBe(requests.length);
  });

  it('a server whose stdout is a full disk (/dev/full) answers requests, and stops at once on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fly-full-stdout-'));
    const port = await freePort();
    const full = openSync('/dev/full', 'a');
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist/cli/main.js'), 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dataDir,
        FLY_PORT: String(port),
        FLY_HOST: '127.0.0.1',
        FLY_DATA_DIR: dataDir,
        FLY_DATABASE_URL: `sqlite:${join(dataDir, 'fly.db')}`,
        FLY_ADMIN_USERNAME: 'admin',
        FLY_ADMIN_PASSWORD: 'full-disk-admin-password',
        FLY_WORKERS: '1',
      },
      stdio: ['ignore', full, 'pipe', 'ipc'],
    });
    closeSync(full);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      // Every line the server logs from its first one on fails with ENOSPC.
      const ready = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        const settle = (listens: boolean) => {
          clearTimeout(timer);
          resolve(listens);
        };
        child.once('message', () => settle(true));
        child.once('exit', () => settle(false));
      });
      expect(ready, stderr).toBe(true);
      for (let i = 0; i < 2000; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
      child.kill('SIGTERM');
      // Within the shutdown's own time, not the harness's SIGKILL: the final flush gives up on a failing stdout.
      const outcome = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 8 s'), 8000))]);
      expect(outcome).toEqual([0, null]);
    } finally {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
