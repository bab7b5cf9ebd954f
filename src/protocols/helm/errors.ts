import type { FastifyReply } from 'fastify';
import { wireErrors } from '../kit/wire-errors.js';

/** The realm helm sees on a 401 (helm repo add --username/--password sends Basic credentials). */
export const HELM_CHALLENGE = 'Basic realm="Fly Registry"';

/** ChartMuseum's error body, `{"error":"…"}`, which helm and the cm-push plugin print. */
export function sendHelmError(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', HELM_CHALLENGE);
  return reply.status(status).type('application/json').send({ error: message });
}

export const sendHelmFailure = wireErrors(sendHelmError);
