import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The exact body bytes, as text: what the signature covers. */
  body: string;
  /** The status this receiver answered. */
  answered: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** What the next requests are answered: statuses taken in order, then `otherwise`. */
  answer: { next: number[]; otherwise: number };
  close(): Promise<void>;
}

/** A webhook receiver on loopback that records every request and answers as the test tells it. */
export async function startWebhookReceiver(otherwise = 204): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const answer = { next: [] as number[], otherwise };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = answer.next.shift() ?? answer.otherwise;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? 'receiver says no' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    received,
    answer,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
