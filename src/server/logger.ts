import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import type { AnsweredRequest } from '../http/answered-request.js';
import { redactString, redactValue } from '../http/redact.js';

/** The server's logs: the general logger, the access log beside it, and a way to write out what is buffered. */
export interface Logs {
  logger: Logger;
  /** Undefined when the level leaves it off (above `info`): nothing is then done per request at all. */
  access: AccessLog | undefined;
  /** Writes every buffered line now (before the process exits). */
  flush(): void;
}

/** Writes one answered request's line (the URL redacted, the time rounded to 0.1 ms). */
export type AccessLog = (line: AnsweredRequest) => void;

/** Answered requests wait in memory until this many, or ACCESS_FLUSH_MS, then go out as lines in one write. */
const ACCESS_BATCH_LINES = 128;
const ACCESS_FLUSH_MS = 50;

/**
 * Output waiting for stdout is held to this many bytes. A reader that stops reading (a paused terminal,
 * `npm start | less`) would otherwise grow the server by every line it logs, for as long as it stalls.
 */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

type Destination = DestinationStream & {
  flushSync?(): void;
  on?(event: 'drop', listener: (data: string) => void): unknown;
  on?(event: 'write', listener: (bytes: number) => void): unknown;
};

/** stdout, written asynchronously, holding at most `maxBytes` that wait for it: past that, writes are dropped whole. */
export function stdoutDestination(maxBytes = LOG_BUFFER_BYTES): Destination {
  return pino.destination({ dest: 1, sync: false, maxLength: maxBytes });
}

/**
 * JSON lines on stdout, written asynchronously: lines queue in memory while a write is in flight and go out
 * together in the next one, so a request never waits for the terminal or pipe (pino flushes the rest
 * synchronously when the process exits). What waits is bounded (LOG_BUFFER_BYTES): while stdout is not read,
 * lines past the bound are dropped whole and counted, and the count is logged once output moves again.
 *
 * The general logger removes credentials twice over: known secret-bearing fields are censored by path, and
 * every string that looks like a token, a Basic/Bearer credential or URL user info is masked. The access
 * log, one line per request, skips that generic walk: its fields are fixed, and the only one a client
 * controls as text, the URL, goes through the same redaction (accessLog below).
 */
export function createLogs(level: string, destination: Destination = stdoutDestination()): Logs {
  const logger = pino(
    {
      level,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.sessionToken', '*.secret'],
        censor: '[REDACTED]',
      },
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, url: redactString(req.url), remoteAddress: req.ip }),
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => redactValue(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  reportDroppedLines(destination, logger);
  const access = logger.isLevelEnabled('info') ? accessLog(destination) : undefined;
  return {
    logger,
    access: access?.log,
    flush: () => {
      access?.flush();
      try {
        destination.flushSync?.();
      } catch {
        /* nothing buffered, or stdout already closed */
      }
    },
  };
}

/** Counts the lines a full buffer dropped and, once a write reaches stdout again, says how many. */
function reportDroppedLines(destination: Destination, logger: Logger): void {
  let dropped = 0;
  destination.on?.('drop', (data: string) => {
    for (let i = data.indexOf('\n'); i >= 0; i = data.indexOf('\n', i + 1)) dropped++;
  });
  destination.on?.('write', () => {
    if (dropped === 0) return;
    const lines = dropped;
    dropped = 0;
    logger.warn({ droppedLines: lines }, 'log lines dropped: standard output was not being read');
    // The buffer may still be full (it is emptied after this event): then the warning itself was dropped, and
    // the count waits for the next write rather than counting the warning as a line the reader missed.
    if (dropped > 0) dropped = lines;
  });
}

/**
 * The access log: pino's line shape (level, time, pid, hostname, msg), built here rather than through a pino
 * logger because it runs on every request, and batched: answered requests collect for up to ACCESS_FLUSH_MS
 * (or ACCESS_BATCH_LINES), then become lines together, in one loop, and reach the destination in one write,
 * rather than a line built between two answers and a hand-off to the I/O thread per few lines. Every
 * client-supplied string is JSON-escaped; the URL is redacted first.
 */
function accessLog(destination: Destination): { log: AccessLog; flush(): void } {
  const head = `{"level":30,"time":`;
  const origin = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"reqId":`;
  let pending: AnsweredRequest[] = [];
  let times: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    let text = '';
    for (const [i, line] of pending.entries()) {
      text +=
        `${head}${times[i]}${origin}${JSON.stringify(line.reqId)},"method":${JSON.stringify(line.method)},"url":${JSON.stringify(redactString(line.url))}` +
        `,"status":${line.status},"ms":${Math.round(line.ms * 10) / 10},"ip":${JSON.stringify(line.ip)}${line.memory ? ',"from":"memory"' : ''},"msg":"request"}\n`;
    }
    pending = [];
    times = [];
    destination.write(text);
  };
  const log: AccessLog = (line) => {
    pending.push(line);
    times.push(Date.now());
    if (pending.length >= ACCESS_BATCH_LINES) flush();
    else if (!timer) {
      timer = setTimeout(flush, ACCESS_FLUSH_MS);
      timer.unref();
    }
  };
  return { log, flush };
}
