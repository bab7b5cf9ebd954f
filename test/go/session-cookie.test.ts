import { describe, expect, it } from 'vitest';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';
import { storedBlobs } from '../pypi/uploads.js';
import { zipOf } from '../support/go-zips.js';

const MODULE = 'example.com/cookie/mod';

/** The dashboard's session cookie authenticates nobody on the Go proxy without its CSRF token. */
describe('Go: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();
  const upload = async (csrf: boolean) =>
    fetch(`${server().url}/go/${MODULE}/@v/v1.0.0.zip`, {
      method: 'PUT',
      headers: cookieHeaders(session(), csrf),
      body: new Uint8Array(await zipOf({ [`${MODULE}@v1.0.0/go.mod`]: `module ${MODULE}\n` })),
    });

  it('an upload with the cookie alone is 401 and stores nothing; reads refuse it too', async () => {
    expect((await upload(false)).status).toBe(401);
    expect(storedBlobs(server())).toEqual([]);
    expect((await fetch(`${server().url}/go/${MODULE}/@v/list`, { headers: cookieHeaders(session(), false) })).status).toBe(401);
  });

  it('with the CSRF token the same upload acts as the logged-in user', async () => {
    expect((await upload(true)).status).toBe(201);
    expect(await (await fetch(`${server().url}/go/${MODULE}/@v/list`, { headers: cookieHeaders(session(), true) })).text()).toBe('v1.0.0\n');
  });
});
