import type { WebhookResponse, WebhookTransport } from '../core/notifications/ports.js';

/** A receiver gets this long to answer; then the attempt fails and is retried later. */
const TIMEOUT_MS = 10_000;
/** Only the start of an answer is read, for the delivery log: a receiver cannot make us read megabytes. */
const EXCERPT_BYTES = 1024;

/**
 * Posts webhook bodies with Node's fetch. Guards against a webhook being turned against us or stalling the
 * queue: http(s) only (checked again here, whatever is stored), redirects are not followed (a 3xx is a
 * failed attempt), one bounded timeout covers connect, answer and the bounded read of its body.
 */
export const fetchWebhookTransport: WebhookTransport = {
  async post(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`refusing to deliver to a ${target.protocol} URL`);
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual', signal });
    } catch (error) {
      throw new Error(signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : `cannot reach the receiver: ${causeOf(error)}`);
    }
    return { status: response.status, bodyExcerpt: await excerpt(response) };
  },
};

async function excerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short is still an answer: its status is what counts.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
