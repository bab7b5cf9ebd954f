import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel } from '../support/python-dists.js';
import { cookieHeaders, serverWithBrowserSession } from '../helpers/session-cookie.js';
import { storedBlobs } from './uploads.js';

/** A twine-shaped upload form for a wheel. */
function uploadForm(file: string): FormData {
  const bytes = readFileSync(file);
  const form = new FormData();
  const fields: Record<string, string> = {
    ':action': 'file_upload',
    protocol_version: '1',
    name: 'cookie-pkg',
    version: '1.0.0',
    filetype: 'bdist_wheel',
    pyversion: 'py3',
    metadata_version: '2.1',
    sha256_digest: createHash('sha256').update(bytes).digest('hex'),
  };
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('content', new Blob([bytes]), basename(file));
  return form;
}

/**
 * The dashboard's session cookie authenticates nobody on the Python index without its CSRF token: a
 * cross-site form post from any page a logged-in user visits must not upload a package as them.
 */
describe('PyPI: a session cookie without its CSRF token authenticates nobody', () => {
  const { server, session } = serverWithBrowserSession();
  let wheel: string;
  beforeAll(async () => {
    wheel = await buildWheel(mkdtempSync(join(tmpdir(), 'flyreg-cookie-')), { name: 'cookie-pkg', version: '1.0.0' });
  });
  afterAll(() => {
    if (wheel) rmSync(dirname(wheel), { recursive: true, force: true });
  });

  const upload = (csrf: boolean) =>
    fetch(`${server().url}/artifactory/api/pypi/pypi/`, { method: 'POST', headers: cookieHeaders(session(), csrf), body: uploadForm(wheel) });

  it('an upload with the cookie alone is 401 and stores nothing; the index refuses the cookie too', async () => {
    const res = await upload(false);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(storedBlobs(server())).toEqual([]);
    expect((await fetch(`${server().url}/pypi/simple/`, { headers: cookieHeaders(session(), false) })).status).toBe(401);
  });

  it('with the CSRF token the same upload acts as the logged-in user', async () => {
    expect((await upload(true)).status).toBe(200);
    const page = await fetch(`${server().url}/pypi/simple/cookie-pkg/`, { headers: cookieHeaders(session(), true) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('cookie_pkg-1.0.0-py3-none-any.whl');
  });
});
