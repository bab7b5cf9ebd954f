import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { openConnections } from './open-connections.js';

/** How often the connections are looked at. */
const CHECK_EVERY_MS = 1000;

/**
 * Cuts every connection of `server` on which no byte has moved either way for `timeoutMs`: a request body
 * that stops arriving, an answer the client stops reading. A body that keeps trickling in is not cut, however
 * long it takes (the request timeout bounds that). A connection is cut within a check or two of its timeout:
 * its quiet time counts from the first check that sees it (a new connection that sends nothing is the
 * headers timeout's, which is shorter).
 *
 * Node's own socket timeout (`server.setTimeout`) does the same with a timer per connection, which every
 * request re-arms (a new timer object) and every read and write moves: work on each request. Here the
 * connections are looked at once a second instead, by the bytes each has moved so far; what it costs
 * depends on how many connections are open, not on how many requests they carry.
 */
export function cutStalledConnections(server: Server, timeoutMs: number): void {
  const connections = openConnections(server);
  const seen = new WeakMap<Socket, { moved: number; since: number }>();
  // Checked only while connections are open: an idle server sets no timer.
  let check: NodeJS.Timeout | undefined;
  const look = () => {
    if (connections.size === 0) {
      clearInterval(check);
      check = undefined;
      return;
    }
    const now = Date.now();
    for (const socket of connections) {
      // Bytes read from the client, and bytes handed to the connection for it (buffered ones included).
      const moved = socket.bytesRead + (socket.bytesWritten ?? 0);
      const last = seen.get(socket);
      if (!last) {
        seen.set(socket, { moved, since: now });
      } else if (moved !== last.moved) {
        last.moved = moved;
        last.since = now;
      } else if (now - last.since >= timeoutMs) {
        socket.destroy();
      }
    }
  };
  server.on('connection', () => {
    if (check) return;
    check = setInterval(look, Math.min(CHECK_EVERY_MS, timeoutMs));
    check.unref();
  });
  server.once('close', () => clearInterval(check));
}
