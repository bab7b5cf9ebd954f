import { fstatSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Output waiting for stdout is held to this many bytes. A reader that stops reading (a paused terminal,
 * `npm start | less`) would otherwise grow the server by every line it logs, for as long as it stalls.
 */
const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/** Where the logs go: pino's stream, with sonic-boom's events and sync flush when it is one. */
export type LogDestination = DestinationStream & {
  flushSync?(): void;
  /** Writes out what waits, then closes the descriptor (never stdout's or stderr's). */
  end?(): void;
  on?(event: 'drop', listener: (data: string) => void): unknown;
  on?(event: 'write', listener: (bytes: number) => void): unknown;
  on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
};

/**
 * stdout (or another open descriptor). A pipe or a terminal is written asynchronously, holding at most
 * `maxBytes` that wait for it: past that, writes are dropped whole. A regular file is written synchronously,
 * as Node writes `process.stdout` to one: a file never stops reading the way a pipe's reader can, and each
 * asynchronous write would cost a hand-off to the I/O threads and two more copies of the text (sonic-boom
 * encodes it again to count what was written), about a third of the access log's CPU.
 */
export function stdoutDestination(maxBytes = LOG_BUFFER_BYTES, fd = 1): LogDestination {
  return pino.destination({ dest: fd, sync: isRegularFile(fd), maxLength: maxBytes });
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * Logging never stops the server. What stdout cannot take is counted, not held: lines past the bound are
 * dropped whole (a reader that stopped reading); a write that fails (a full disk under a redirected stdout)
 * is retried with the next one and never reaches the process as an error. Once a write succeeds again, one
 * warning says how many lines were lost and why.
 */
export function watchOutput(destination: LogDestination, logger: Logger): void {
  let dropped = 0;
  let failure: string | undefined;
  destination.on?.('drop', (data: string) => {
    for (let i = data.indexOf('\n'); i >= 0; i = data.indexOf('\n', i + 1)) dropped++;
  });
  destination.on?.('error', (error: NodeJS.ErrnoException) => {
    failure = error.code ?? error.message;
  });
  destination.on?.('write', () => {
    const cause = failure;
    failure = undefined;
    if (dropped === 0 && cause === undefined) return;
    const lines = dropped;
    dropped = 0;
    if (cause === undefined) logger.warn({ droppedLines: lines }, 'log lines dropped: standard output was not being read');
    else logger.warn({ droppedLines: lines, outputError: cause }, 'writing the log to standard output failed for a while');
    // The buffer may still be full (it is emptied after this event): then the warning itself was dropped, and
    // the count waits for the next write rather than counting the warning as a line the reader missed.
    if (dropped > 0) {
      dropped = lines;
      failure = cause;
    }
  });
  // sonic-boom's sync flush retries a failing write every 100 ms for ever: at exit (its own exit hook, or
  // ours), that would leave a process that answers nothing and ignores SIGTERM. While writes fail, what is
  // still buffered is given up instead.
  const flushSync = destination.flushSync?.bind(destination);
  if (flushSync) {
    destination.flushSync = () => {
      if (failure === undefined) flushSync();
    };
  }
}
