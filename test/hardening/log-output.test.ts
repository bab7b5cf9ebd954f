import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../support/package-root.js';
import { spawnServer } from '../support/server-process.js';
import { canMountTmpfs, fillUp, mountTmpfs, unmountTmpfs } from '../support/tmpfs.js';

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

  it('a server whose stdout is a full disk (/dev/full) answers requests, and stops on SIGTERM with exit 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fly-full-stdout-'));
    // Every line the server logs, from its first one on, fails with ENOSPC.
    const server = await spawnServer({
      databaseUrl: `sqlite:${join(dataDir, 'fly.db')}`,
      dataDir,
      admin: { username: 'admin', password: 'full-disk-admin-password' },
      logFile: '/dev/full',
    });
    try {
      for (let i = 0; i < 2000; i++) {
        const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      // Not the harness's SIGKILL after its grace: the final flush gives up on a failing stdout.
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // A regular file is written synchronously (log-output.ts): its failures must be as harmless as a device's.
  it.skipIf(!canMountTmpfs())('a server whose stdout is a file on a disk that fills up answers requests, reports the lost output once the disk has room, and stops with exit 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fly-full-file-'));
    const disk = mkdtempSync(join(tmpdir(), 'fly-full-log-'));
    mountTmpfs(disk, '1m');
    const logFile = join(disk, 'server.log');
    const server = await spawnServer({ databaseUrl: `sqlite:${join(dataDir, 'fly.db')}`, dataDir, admin: { username: 'admin', password: 'full-disk-admin-password' }, logFile });
    const healthy = async () => {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return res.status;
    };
    try {
      expect(await healthy()).toBe(200);
      fillUp(join(disk, 'filler'));
      // Each request logs a line, and every write of them now fails with ENOSPC.
      for (let i = 0; i < 2000; i++) expect(await healthy()).toBe(200);
      rmSync(join(disk, 'filler'));
      // With room again, the next batch of lines goes out, led by what was lost and why.
      for (let i = 0; i < 10; i++) expect(await healthy()).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; outputError?: string });
      expect(lines.filter((line) => line.outputError !== undefined)).toEqual([expect.objectContaining({ outputError: 'ENOSPC' })]);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await server.stop();
      unmountTmpfs(disk);
      rmSync(disk, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
