import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { npmTarball } from '../support/npm-fixtures.js';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';

function publishBody(name: string, version: string): string {
  // A real package tarball: the registry checks its package.json against the name and version.
  const tarball = npmTarball({ name, version });
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  return JSON.stringify({
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { name, version, dist: { integrity, shasum, tarball: `http://elsewhere/${name}/-/x.tgz` } } },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  });
}

/**
 * The dashboard's session cookie authenticates nobody on the npm registry without its CSRF token:
 * otherwise any web page a logged-in user visits could publish or unpublish packages as them.
 */
describe('npm registry: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();
  const npm = (method: string, path: string, csrf: boolean, body?: string) =>
    fetch(`${server().url}/npm${path}`, { method, headers: { ...cookieHeaders(session(), csrf), 'content-type': 'application/json' }, body });

  it('a publish with the cookie alone is 401 and publishes nothing', async () => {
    const res = await npm('PUT', '/fly-cookie', false, publishBody('fly-cookie', '1.0.0'));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/Authentication required/);
    expect((await npm('GET', '/-/whoami', false)).status).toBe(401);
    expect((await npm('GET', '/fly-cookie', true)).status).toBe(404);
  });

  it('with the CSRF token the same publish acts as the logged-in user', async () => {
    expect((await npm('PUT', '/fly-cookie', true, publishBody('fly-cookie', '1.0.0'))).status).toBe(201);
    expect(((await (await npm('GET', '/-/whoami', true)).json()) as { username: string }).username).toBe(server().admin.username);
  });
});
