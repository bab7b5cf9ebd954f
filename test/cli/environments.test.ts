import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface CreatedEnvironment {
  environment: { name: string; description: string | null; color: string | null };
  token: { id: string; token: string; permission: string; environment: string; snippets: { kubernetes: { kubectl: string } } } | null;
}

let server: TestServer;
const user = new CliUser();

beforeAll(async () => {
  server = await startServer();
  await user.login(server);
});
afterAll(async () => {
  await server?.stop();
  user.remove();
});

describe('flyreg env / release (what needs no image pulls)', () => {
  it('creates environments, with a first token whose secret is printed once', async () => {
    const created = await user.json<CreatedEnvironment>(['env', 'create', 'production', '--description', 'EU cluster', '--color', '#E11D48', '--with-token']);
    expect(created.environment).toMatchObject({ name: 'production', description: 'EU cluster', color: '#e11d48' });
    expect(created.token).toMatchObject({ permission: 'read-only', environment: 'production' });
    expect(created.token?.snippets.kubernetes.kubectl).toContain('kubectl create secret docker-registry');
    const who = await new ApiClient(server, created.token?.token).get<{ token: { permission: string } }>('/api/v1/whoami');
    expect(who.status).toBe(200);

    await user.json(['env', 'create', 'staging']);
    const list = await user.json<{ name: string }[]>(['env', 'list']);
    expect(list.map((e) => e.name).sort()).toEqual(['production', 'staging']);

    const human = await user.run(['env', 'show', 'production']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('production — EU cluster');
    expect(human.stdout).toContain('nothing pulled with its tokens yet');
    expect(human.stdout).toContain(created.token?.id ?? 'missing');
  });

  it('refuses bad names and unknown environments with the API reason', async () => {
    const bad = await user.run(['env', 'create', 'Prod Env']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^flyreg: Request body is invalid: name: must use lowercase letters, digits and inner hyphens only\n$/);
    const unknown = await user.run(['env', 'drift', 'nowhere']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'flyreg: Environment "nowhere" not found\n' });
    const same = await user.run(['env', 'compare', 'staging', 'staging']);
    expect(same).toMatchObject({ code: 1, stderr: 'flyreg: Compare two different environments\n' });
  });

  it('timeline, drift and compare answer for environments with no pulls yet', async () => {
    expect(await user.json(['env', 'timeline', 'production'])).toMatchObject({ environment: 'production', deployments: [] });
    expect(await user.json(['env', 'drift', 'production'])).toMatchObject({ environment: 'production', repositories: [] });
    expect(await user.json(['env', 'compare', 'staging', 'production'])).toMatchObject({ a: 'staging', b: 'production', repositories: [] });
    expect((await user.run(['env', 'compare', 'staging', 'production'])).stdout).toBe('staging and production run the same images.\n');
  });

  it('token create --env and setup --env make read-only environment tokens by default', async () => {
    const token = await user.json<{ permission: string; environment: string; name: string }>(['token', 'create', '--name', 'prod puller', '--env', 'production']);
    expect(token).toMatchObject({ permission: 'read-only', environment: 'production' });

    // Without --print: a print creates no token (it shows where one goes), a setup does.
    const [setup] = await user.json<{ token: { name: string; permission: string; id: string } }[]>(['setup', 'docker', '--env', 'staging']);
    expect(setup?.token).toMatchObject({ name: `${hostname().split('.')[0]}-docker-staging`, permission: 'read-only' });
    const shown = await user.json<{ environment: string }>(['token', 'show', setup?.token.id ?? '']);
    expect(shown.environment).toBe('staging');

    const unknown = await user.run(['token', 'create', '--name', 'x', '--env', 'nowhere']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'flyreg: Environment "nowhere" does not exist: create it first\n' });
  });

  it('release create refuses artifacts that do not exist, and malformed specs before asking', async () => {
    const missing = await user.run(['release', 'create', '--name', 'shop/api', '--version', '1.0.0', '--artifact', 'npm:nope@1.0.0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')).toHaveLength(2);
    expect(missing.stderr).toMatch(/^flyreg: .*nope.*\n$/);
    const malformed = await user.run(['release', 'create', '--name', 'shop/api', '--version', '1.0.0', '--artifact', 'docker:thing']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('cannot read the artifact "docker:thing"');
    expect(await user.json(['release', 'list'])).toEqual([]);
  });
});
