import type { OciContext } from '../route.js';

/** `GET /v2/`: answers 200 only to a valid credential (anonymous callers got the 401 challenge). */
export async function apiVersionCheck(c: OciContext): Promise<unknown> {
  return c.reply.status(200).header('content-type', 'application/json').send('{}');
}
