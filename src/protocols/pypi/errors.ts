import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';

/** A failure only the PyPI wire has (content negotiation), with its status chosen here like every other. */
export class PypiWireError extends Error {
  override readonly name = 'PypiWireError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const PypiErrors = {
  notAcceptable: () =>
    new PypiWireError(
      406,
      'Not Acceptable: the Simple API speaks application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html and text/html',
    ),
};

/** The realm pip and twine see; a 401 with it makes pip retry with the index URL's credentials. */
export const BASIC_CHALLENGE = 'Basic realm="Fly Registry"';

/** Errors @fastify/multipart raises for malformed or oversized forms, as PyPI statuses. */
const MULTIPART_STATUS: Record<string, number> = {
  FST_REQ_FILE_TOO_LARGE: 413,
  FST_PARTS_LIMIT: 413,
  FST_FILES_LIMIT: 400,
  FST_FIELDS_LIMIT: 413,
  FST_PROTO_VIOLATION: 400,
  FST_INVALID_MULTIPART_CONTENT_TYPE: 400,
  FST_INVALID_JSON_FIELD_ERROR: 400,
  FST_REQ_PREMATURE_CLOSE: 400,
};

/**
 * A reason phrase must be one line of visible Latin-1 text; twine prints it, so it carries the message.
 * Anything else becomes a space, and it is kept short.
 */
function reasonPhrase(message: string): string {
  return message.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 300);
}

/** Sends a PyPI error: status, the message as reason phrase and as the plain-text body. */
export function sendPypiError(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', BASIC_CHALLENGE);
  reply.raw.statusMessage = reasonPhrase(message);
  return reply.status(status).type('text/plain; charset=utf-8').send(`${status} ${message}\n`);
}

export function pypiErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(error)) {
    const retryAfter = error.details.retryAfterSeconds;
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    return sendPypiError(reply, httpStatusOf(error.code), error.message);
  }
  if (error instanceof PypiWireError) return sendPypiError(reply, error.status, error.message);
  const code = (error as FastifyError).code;
  const multipartStatus = code ? MULTIPART_STATUS[code] : undefined;
  if (multipartStatus) return sendPypiError(reply, multipartStatus, `Invalid upload: ${error.message}`);
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return sendPypiError(reply, status, error.message);
  request.log.error({ err: error }, 'unhandled error');
  return sendPypiError(reply, 500, 'Internal server error');
}
