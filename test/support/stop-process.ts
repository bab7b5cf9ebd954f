import type { ChildProcess } from 'node:child_process';

/** How a process ended: its exit code, or the signal that ended it (SIGKILL: it outlived the grace). */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** SIGTERM (a graceful shutdown), then SIGKILL if the process is still there after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(force);
      resolve({ code, signal });
    });
    child.kill('SIGTERM');
  });
}
