import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import type { AnsweredRequest } from '../http/answered-request.js';
import { redactString, redactValue } from '../http/redact.js';
import { stdoutDestination, watchOutput, type LogDestination } from './log-output.js';

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
 * JSON lines on stdout, written asynchronously: lines queue in memory while a write is in flight and go out
 * together in the next one, so a request never waits for the terminal or pipe (pino flushes the rest
 * synchronously when the process exits). What waits is bounded, and a stdout that stalls or fails costs lines,
 * counted and reported, never the server (log-output.ts).
 *
 * The general logger removes credentials twice over: known secret-bearing fields are censored by path, and
 * every string that looks like a token, a Basic/Bearer credential or URL user info is masked. The access
 * log, one line per request, skips that generic walk: its fields are fixed, and the only one a client
 * controls as text, the URL, goes through the same redaction (accessLog below).
 */
export function createLogs(level: string, destination: LogDestination = stdoutDestination()): Logs {
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
  watchOutput(destination, logger);
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

/**
 * The access log: pino's line shape (level, time, pid, hostname, msg), built here rather than through a pino
 * logger because it runs on every request, and batched: answered requests collect for up to ACCESS_FLUSH_MS
 * (or ACCESS_BATCH_LINES), then become lines together, in one loop, and reach the destination in one write,
 * rather than a line built between two answers and a hand-off to the I/O thread per few lines. Every
 * client-supplied string is JSON-escaped; the URL is redacted first.
 */
function accessLog(destination: LogDestination): { log: AccessLog; flush(): void } {
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
    for (let i = 0; i < pending.length; i++) {
      const line = pending[i] as AnsweredRequest;
      text +=
        `${head}${times[i]}${origin}${jsonString(line.reqId)},"method":${jsonString(line.method)},"url":${jsonString(redactString(line.url))}` +
        `,"status":${line.status},"ms":${Math.round(line.ms * 10) / 10},"ip":${jsonString(line.ip)}${line.memory ? ',"from":"memory"' : ''},"msg":"request"}\n`;
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

/** Printable ASCII other than `"` and `\\`: the text is its own JSON string body. */
const NEEDS_NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `text` as a JSON string: most fields need no escaping, and one test costs less than JSON.stringify. */
function jsonString(text: string): string {
  return NEEDS_NO_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text);
}
