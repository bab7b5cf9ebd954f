import { describe, expect, it } from 'vitest';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';

const POM = '<project><modelVersion>4.0.0</modelVersion><groupId>com.cookie</groupId><artifactId>lib</artifactId><version>1.0</version></project>';

/**
 * The dashboard's session cookie authenticates nobody on the Maven repository or generic files without its
 * CSRF token: a cross-site request from any page a logged-in user visits must not deploy or delete as them.
 */
describe('Maven and generic files: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();

  it('Maven: deploy and resolve with the cookie alone → 401; with its CSRF token → works', async () => {
    const url = `${server().url}/maven/com/cookie/lib/1.0/lib-1.0.pom`;
    const refused = await fetch(url, { method: 'PUT', headers: cookieHeaders(session(), false), body: POM });
    expect(refused.status).toBe(401);
    expect((await fetch(url, { headers: cookieHeaders(session(), false) })).status).toBe(401);
    const deployed = await fetch(url, { method: 'PUT', headers: cookieHeaders(session(), true), body: POM });
    expect(deployed.status).toBe(201);
    const got = await fetch(url, { headers: cookieHeaders(session(), true) });
    expect(await got.text()).toBe(POM);
  });

  it('generic files: upload and delete with the cookie alone → 401; with its CSRF token → works', async () => {
    const url = `${server().url}/generic/cookie/1.0/a.txt`;
    expect((await fetch(url, { method: 'PUT', headers: cookieHeaders(session(), false), body: 'a' })).status).toBe(401);
    expect((await fetch(url, { method: 'PUT', headers: cookieHeaders(session(), true), body: 'a' })).status).toBe(201);
    expect((await fetch(url, { method: 'DELETE', headers: cookieHeaders(session(), false) })).status).toBe(401);
    expect((await fetch(url, { method: 'DELETE', headers: cookieHeaders(session(), true) })).status).toBe(204);
  });
});
