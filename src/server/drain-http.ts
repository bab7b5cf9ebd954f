import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/** Node's own field for the response a connection is answering (its closeIdleConnections reads it too). */
type ServingSocket = Socket & { _httpMessage?: ServerResponse | null };

/**
 * Stops taking requests and lets those in flight finish within the deadline: idle keep-alive connections
 * are closed at once (and again as requests finish), each request in flight is told to answer with
 * `Connection: close`, and whatever is still open at the deadline is cut, so the pull events and usage
 * stamps can be flushed well inside the orchestrator's grace period. Requests that arrive meanwhile on an
 * open connection get Fastify's 503 with `Connection: close`.
 */
export async function drainHttp(app: FastifyInstance, connections: ReadonlySet<ServingSocket>, deadlineMs: number, logger: Logger): Promise<void> {
  for (const socket of connections) {
    const inFlight = socket._httpMessage;
    // Read when its headers are written: Node then sends `Connection: close` and ends the socket after the answer.
    if (inFlight && !inFlight.headersSent) inFlight.shouldKeepAlive = false;
  }
  const closed = app.close();
  app.server.closeIdleConnections();
  const idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    logger.warn({ deadlineMs }, 'shutdown deadline reached: closing connections of requests still in flight');
    app.server.closeAllConnections();
  }, deadlineMs);
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(deadline);
  }
}
