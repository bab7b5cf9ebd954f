import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TlsFront {
  /** https://127.0.0.1:<port> */
  url: string;
  host: string;
  /** The self-signed certificate, for SSL_CERT_FILE. */
  certFile: string;
  stop(): Promise<void>;
}

/**
 * An HTTPS front for a test server, as a reverse proxy gives one in production. `go` sends GOAUTH/.netrc
 * credentials over HTTPS only, so the Go tests reach the registry through this; `go` trusts the
 * certificate through SSL_CERT_FILE. The certificate is made with openssl for 127.0.0.1.
 */
export async function startTlsFront(backend: string, dir: string): Promise<TlsFront> {
  const keyFile = join(dir, 'front.key');
  const certFile = join(dir, 'front.crt');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  const target = new URL(backend);
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    certFile,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
