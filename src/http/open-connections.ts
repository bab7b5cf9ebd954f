import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const openOf = new WeakMap<Server, Set<Socket>>();

/**
 * The open connections of an HTTP server: one set per server, kept from the first call on (so make that
 * call before the server listens), one entry per connection and nothing per request. Shutdown reaches the
 * requests in flight through it (server/drain-http.ts); the socket timeout looks at each connection's bytes
 * (stalled-connections.ts).
 */
export function openConnections(server: Server): ReadonlySet<Socket> {
  const known = openOf.get(server);
  if (known) return known;
  const open = new Set<Socket>();
  openOf.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return open;
}
