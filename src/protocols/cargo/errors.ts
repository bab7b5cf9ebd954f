import type { FastifyReply } from 'fastify';
import { wireErrors } from '../kit/wire-errors.js';

/**
 * Cargo's error format: `{"errors":[{"detail":"…"}]}`, which cargo prints after the status
 * ("the remote server responded with an error (status 403 Forbidden): …"). A 401 carries the
 * `Cargo` challenge that makes cargo send its token.
 */
export function sendCargoError(reply: FastifyReply, status: number, detail: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Cargo');
  return reply.status(status).type('application/json').send({ errors: [{ detail }] });
}

export const sendCargoFailure = wireErrors(sendCargoError);
