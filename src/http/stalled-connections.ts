import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How often the connections are looked at: a stalled one is cut between `timeoutMs` and this much later. */
const CHECK_EVERY_MS = 1000;

/**
 * Cuts every connection of `server` on which no byte has moved either way for `timeoutMs`: a request body
 * that stops arriving, an answer the client stops reading, a connection opened and left silent. A body that
 * keeps trickling in is not cut, however long it takes (the request timeout bounds that).
 *
 * Node's own socket timeout (`server.setTimeout`) does the same with a timer per connection, which every
 * request re-arms (a new timer object) and every read and write moves: work on each request. Here the
 * connections are looked at once a second instead, by the bytes each has moved so far; what it costs
 * depends on how many connections are open, not on how many requests they carry.
 */
export function cutStalledConnections(server: Server, timeoutMs: number): void {
  const watched = new Map<Socket, { moved: number; since: number }>();
  server.on('connection', (socket: Socket) => {
    watched.set(socket, { moved: 0, since: Date.now() });
    socket.once('close', () => watched.delete(socket));
  });
  const check = setInterval(
    () => {
      const now = Date.now();
      for (const [socket, seen] of watched) {
        // Bytes read from the client, and bytes handed to the connection for it (buffered ones included).
        const moved = socket.bytesRead + (socket.bytesWritten ?? 0);
        if (moved !== seen.moved) {
          seen.moved = moved;
          seen.since = now;
        } else if (now - seen.since >= timeoutMs) {
          socket.destroy();
        }
      }
    },
    Math.min(CHECK_EVERY_MS, timeoutMs),
  );
  check.unref();
  server.once('close', () => clearInterval(check));
}
