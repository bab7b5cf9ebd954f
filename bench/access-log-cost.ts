import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stdoutDestination } from '../src/server/log-output.js';
import { createLogs } from '../src/server/logger.js';

/**
 * The access log's own CPU per answered request, in µs: `lines` requests recorded through the server's own
 * access log (server/logger.ts createLogs at `info`) into a file, as a server whose stdout is redirected
 * writes them, batches, JSON escaping, URL redaction and the writes included (process.cpuUsage counts the
 * I/O threads too). The event loop turns every few hundred lines, as it does between a server's requests,
 * so batches go out on their own schedule. A CPU-bound server loses the same share of its throughput; on a
 * machine whose paired throughput rounds disagree by more than 10%, this is the figure that can show it.
 */
export async function accessLogMicrosPerLine(urls: readonly string[], lines = 200_000): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'flybench-access-'));
  try {
    // The destination the server makes for a stdout redirected to a file (server/log-output.ts).
    const fd = openSync(join(dir, 'access.log'), 'a');
    const destination = stdoutDestination(undefined, fd);
    const { access, flush } = createLogs('info', destination);
    if (!access) throw new Error('the access log is off at info');
    const before = process.cpuUsage();
    for (let i = 0; i < lines; i++) {
      access({ reqId: `req-${i.toString(36)}`, method: 'GET', url: urls[i % urls.length] as string, route: '/bench', status: 200, ms: 0.05, ip: '127.0.0.1', memory: true });
      if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
    }
    flush();
    const used = process.cpuUsage(before);
    // Closes the file too.
    destination.end?.();
    return (used.user + used.system) / lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
