import { createServer } from 'node:net';

/**
 * Asks the OS for a free port on `host` (the server with FLY_PORT=0, so the public URL can name the real
 * port; benchmarks picking ports for the processes they start). Another process may take it before it is
 * bound: callers that can, retry.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
