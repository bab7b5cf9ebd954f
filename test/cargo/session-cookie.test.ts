import { describe, expect, it } from 'vitest';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';

/** The dashboard's session cookie authenticates nobody on the Cargo registry without its CSRF token. */
describe('Cargo: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();
  const config = (csrf: boolean) => fetch(`${server().url}/cargo/index/config.json`, { headers: cookieHeaders(session(), csrf) });

  it('the cookie alone is 401; with the CSRF token the same request is answered', async () => {
    expect((await config(false)).status).toBe(401);
    const answered = await config(true);
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as Record<string, unknown>)['auth-required']).toBe(true);
  });
});
