import pino, { type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import { redactString, redactValue } from '../http/redact.js';

/**
 * JSON logs with credentials removed twice over: known secret-bearing fields are censored by path, and
 * every string that looks like a token, a Basic/Bearer credential or URL user info is masked.
 */
export function createLogger(level: string): Logger {
  return pino({
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
  });
}
