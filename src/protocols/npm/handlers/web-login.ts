import { parseJsonText } from '../../../core/npm/json-text.js';
import type { NpmContext } from '../route.js';

/** Where npm polls: under the same npm prefix it posted to, with the secret only npm was given. */
function doneUrl(c: NpmContext, id: string, secret: string): string {
  const path = `${c.mountPath.replace(/^\//, '')}-/v1/login/done/${id}/${secret}`;
  return new URL(path, `${c.core.endpoints.publicUrl}/`).href;
}

/**
 * `npm login` (auth-type web, npm 9+'s default): opens a request and answers the page a person approves it
 * on (`loginUrl`) and the URL npm polls (`doneUrl`). npm sends `{hostname}` or no body at all.
 */
export async function startWebLogin(c: NpmContext): Promise<unknown> {
  const body = c.body.trim() === '' ? {} : parseJsonText(c.body, 'Login request');
  const started = await c.core.npmWebLogins.start(body, c.ctx);
  return { loginUrl: started.loginUrl, doneUrl: doneUrl(c, started.id, started.doneSecret) };
}

/** npm's poll: 202 with Retry-After while nobody has decided; 200 `{token}` once, after approval. */
export async function pollWebLogin(c: NpmContext): Promise<unknown> {
  const result = await c.core.npmWebLogins.poll(c.params.id ?? '', c.params.secret ?? '', c.ctx);
  void c.reply.header('cache-control', 'no-store');
  if (result.state === 'pending') return c.reply.status(202).header('retry-after', String(result.retryAfterSeconds)).send({});
  return { token: result.secret };
}
