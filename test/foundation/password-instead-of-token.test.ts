import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { skopeo } from '../oci/helpers/registry.js';

/** What every protocol must tell someone who logs in with their account password instead of a token. */
const ADVICE = /Registries take a Fly token, not your account password.*Tokens → Create token.*flyreg token create/;

describe('logging in to a registry with the account password', () => {
  let server: TestServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    server = await startServer();
    auth = basicAuth(server.admin.username, server.admin.password);
  });
  afterAll(() => server?.stop());

  it('OCI: the token service says to use a token and skopeo login fails, in the registry error format', async () => {
    const res = await fetch(`${server.url}/v2/token?service=fly&scope=repository:shop/api:pull`, { headers: auth });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]?.code).toBe('UNAUTHORIZED');
    expect(body.errors[0]?.message).toMatch(ADVICE);
    const login = await skopeo(['login', '--tls-verify=false', '-u', server.admin.username, '-p', server.admin.password, server.host]);
    // skopeo prints only its own "authentication required"; the message above is what the registry answered.
    expect(login.code).not.toBe(0);
  });

  it('npm: {"error": …} says to use a token', async () => {
    const res = await fetch(`${server.url}/npm/-/whoami`, { headers: auth });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(ADVICE);
  });

  it('PyPI: the plain-text answer says to use a token', async () => {
    const res = await fetch(`${server.url}/pypi/simple/`, { headers: auth });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(ADVICE);
  });
});
