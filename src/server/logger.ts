import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import { redactString, redactValue } from '../http/redact.js';

/** The server's logs: the general logger, the access log beside it, and a way to write out what is buffered. */
export interface Logs {
  logger: Logger;
  access: AccessLog;
  /** Writes every buffered line now (before the process exits). */
  flush(): void;
}

/** What the access log records of one answered request: never a header, so never a credential. */
export interface AccessLine {
  reqId: string;
  method: string;
  /** Redacted here: a query string or path may carry a secret. */
  url: string;
  status: number;
  ms: number;
  ip: string;
}

export type AccessLog = (line: AccessLine) => void;

/**
 * JSON lines on stdout, written asynchronously: lines queue in memory while a write is in flight and go out
 * together in the next one, so a request never waits for the terminal or pipe (pino flushes the rest
 * synchronously when the process exits).
 *
 * The general logger removes credentials twice over: known secret-bearing fields are censored by path, and
 * every string that looks like a token, a Basic/Bearer credential or URL user info is masked. The access
 * log, one line per request, skips that generic walk: its fields are fixed, and the only one a client
 * controls as text, the URL, goes through the same redaction.
 */
export function createLogs(level: string, destination: DestinationStream & { flushSync?(): void } = pino.destination({ dest: 1, sync: false })): Logs {
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
  const accessLogger = pino({ level }, destination);
  const access: AccessLog = accessLogger.isLevelEnabled('info')
    ? (line) => accessLogger.info({ ...line, url: redactString(line.url) }, 'request')
    : () => undefined;
  return {
    logger,
    access,
    flush: () => {
      try {
        destination.flushSync?.();
      } catch {
        /* nothing buffered, or stdout already closed */
      }
    },
  };
}
