import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A signal that aborts when the client goes away: before its request body was read whole, or before its
 * answer was sent (the connection closed under the response). Streamed bodies and work done for the
 * request (archive inspection) then stop at once. A request body that simply ended is not a departure.
 */
export function clientGoneSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  request.raw.once('close', () => {
    if (!request.raw.complete) controller.abort();
  });
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
