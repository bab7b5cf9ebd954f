import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotatedToken } from '../../src/api/answers.js';
import { login, type ApiClient } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

const whoami = (server: TestServer, secret: string) => fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });

/** `flyreg token rotate <id|name> [--overlap 24h]` against a real server. */
describe('flyreg token rotate', () => {
  let server: TestServer;
  let admin: ApiClient;
  const user = new CliUser();

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    await user.login(server);
  });
  afterAll(async () => {
    await server?.stop();
    user.remove();
  });

  it('rotates by name with the default overlap of 24 h and prints the new secret once with its snippets', async () => {
    const token = await admin.createToken({ name: 'cli rotate', permission: 'read-write' });
    const run = await user.run(['token', 'rotate', 'cli rotate']);
    expect(run.code, run.stderr).toBe(0);
    const secret = /New secret \(shown only this once\): (flyr_\w+)/.exec(run.stdout)?.[1] ?? '';
    expect(secret).toMatch(/^flyr_[0-9A-Za-z]{38}$/);
    expect(run.stdout).toContain(`:_authToken=${secret}`);
    const retires = /The old secret works until (\S+)\./.exec(run.stdout)?.[1] ?? '';
    expect(Math.abs(Date.parse(retires) - Date.now() - 86_400_000)).toBeLessThan(120_000);
    for (const s of [token.token, secret]) expect((await whoami(server, s)).status).toBe(200);
  });

  it('--overlap 0 stops the old secret at once; --json carries the answer; a bad --overlap is refused before any call', async () => {
    const token = await admin.createToken({ name: 'cli now', permission: 'read-only' });
    const rotated = await user.json<RotatedToken>(['token', 'rotate', token.id, '--overlap', '0']);
    expect(rotated).toMatchObject({ id: token.id, username: token.username });
    expect((await whoami(server, token.token)).status).toBe(401);
    expect((await whoami(server, rotated.token)).status).toBe(200);

    const bad = await user.run(['token', 'rotate', token.id, '--overlap', 'soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('cannot read the overlap');
    const tooLong = await user.run(['token', 'rotate', token.id, '--overlap', '31d']);
    expect(tooLong.code).not.toBe(0);
    expect(tooLong.stderr).toContain('overlapSeconds');
    expect((await whoami(server, rotated.token)).status).toBe(200);
  });
});
