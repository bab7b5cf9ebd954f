import { describe, expect, it } from 'vitest';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { storedBlobs } from '../pypi/uploads.js';

/** The dashboard's session cookie authenticates nobody on the chart repository without its CSRF token. */
describe('Helm: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();
  const upload = (csrf: boolean) =>
    fetch(`${server().url}/helm/api/charts`, {
      method: 'POST',
      headers: cookieHeaders(session(), csrf),
      body: new Uint8Array(tarGzOf({ 'cookie/Chart.yaml': 'apiVersion: v2\nname: cookie\nversion: 1.0.0\n' })),
    });

  it('an upload with the cookie alone is 401 and stores nothing; index.yaml refuses it too', async () => {
    expect((await upload(false)).status).toBe(401);
    expect(storedBlobs(server())).toEqual([]);
    expect((await fetch(`${server().url}/helm/index.yaml`, { headers: cookieHeaders(session(), false) })).status).toBe(401);
  });

  it('with the CSRF token the same upload acts as the logged-in user', async () => {
    expect((await upload(true)).status).toBe(201);
    const index = (await (await fetch(`${server().url}/helm/index.yaml`, { headers: cookieHeaders(session(), true) })).json()) as { entries: object };
    expect(Object.keys(index.entries)).toEqual(['cookie']);
  });
});
