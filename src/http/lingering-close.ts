import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long the rest of a body answered early is read and discarded before its connection is cut. */
export const LINGER_MS = 5000;

/**
 * An answer sent before its request body was read whole (a 413 for a Content-Length over the route's limit,
 * a 401 before an upload) must reach a client that is still sending. When that answer closes the connection
 * (Fastify marks a refused body `Connection: close`; the client may have asked for it), Node writes the
 * answer, ends the socket and closes it at once: the bytes the client is still sending meet a closed socket,
 * the kernel answers them with a reset, and the client's write fails (EPIPE, ECONNRESET), often before it
 * has read the answer, which the reset discards. So, like nginx's lingering close, the answer and the FIN go
 * out and the rest of the body is still read and discarded until the client closes its side; a connection
 * kept alive reads the rest the same way (Node discards it) and is reused. Either way the connection is cut
 * if the body is still coming, or the client has not closed, LINGER_MS after the answer: what a refused
 * request can cost is bounded in time and never held in memory.
 */
export function lingerOnEarlyAnswers(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every response that Fastify sends.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete) lingerAfter(request.raw, reply.raw, reply.getHeader('connection') === 'close' || !reply.raw.shouldKeepAlive);
    done(null, payload);
  });
}

function lingerAfter(incoming: IncomingMessage, response: ServerResponse, closing: boolean): void {
  // Null (whatever its type says) or destroyed once the client has gone: nothing is left to read then.
  const socket = incoming.socket as Socket | null;
  if (!socket || socket.destroyed) return;
  if (closing) {
    // Node closes a connection after its last answer with destroySoon(): the FIN, then the socket destroyed
    // as soon as the FIN is written. For this answer: the FIN only; the socket goes when the client closes.
    socket.destroySoon = function halfClose(this: Socket) {
      Reflect.deleteProperty(this, 'destroySoon');
      this.end();
    };
  }
  response.once('finish', () => {
    const cut = setTimeout(() => {
      if (!incoming.complete || socket.writableEnded) socket.destroy();
    }, LINGER_MS);
    cut.unref();
    const stop = (): void => {
      clearTimeout(cut);
      socket.off('close', stop);
      incoming.off('end', stop);
    };
    socket.once('close', stop);
    // A connection kept alive has nothing left to bound once the body has ended.
    if (!closing) incoming.once('end', stop);
  });
}
