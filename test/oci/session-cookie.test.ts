import { describe, expect, it } from 'vitest';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';

/**
 * The dashboard's session cookie authenticates nobody on the registry without its CSRF token: otherwise
 * any web page a logged-in admin visits could push or delete images by cross-site request.
 */
describe('OCI registry: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();
  const v2 = (path: string, method: string, csrf: boolean) => fetch(`${server().url}/v2${path}`, { method, headers: cookieHeaders(session(), csrf) });

  it('GET /v2/ and a push with the cookie alone are 401 challenges; nothing is started', async () => {
    const check = await v2('/', 'GET', false);
    expect(check.status).toBe(401);
    expect(check.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const push = await v2('/team/app/blobs/uploads/', 'POST', false);
    expect(push.status).toBe(401);
    expect(push.headers.get('location')).toBeNull();
    expect(((await push.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('UNAUTHORIZED');
  });

  it('the same requests with the CSRF token act as the logged-in user', async () => {
    expect((await v2('/', 'GET', true)).status).toBe(200);
    const push = await v2('/team/app/blobs/uploads/', 'POST', true);
    expect(push.status).toBe(202);
    expect(push.headers.get('location')).toMatch(/^\/v2\/team\/app\/blobs\/uploads\//);
  });
});
