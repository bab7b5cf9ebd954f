import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface TokenJson {
  id: string;
  name: string;
  username: string;
  permission: string;
  status: string;
  token?: string;
  createdAt: string;
  expiresAt: string | null;
  snippets?: Record<string, string>;
}

let server: TestServer;
const admin = new CliUser();

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  admin.remove();
});

/** The API's view of a credential, straight over HTTP (not through the CLI under test). */
async function whoamiStatus(bearer: string): Promise<number> {
  return (await new ApiClient(server, bearer).get('/api/v1/whoami')).status;
}

describe('flyreg login / whoami / logout', () => {
  it('refuses a wrong password with the API reason on one line and exit code 1, storing nothing', async () => {
    const result = await admin.run(['login', server.url, '--username', 'admin', '--password-stdin'], { stdin: 'not-the-password\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('flyreg: Invalid username or password\n');
    expect(() => statSync(join(admin.configDir, 'credentials.json'))).toThrow();
  });

  it('refuses to prompt without a terminal', async () => {
    const result = await admin.run(['login', server.url, '--username', 'admin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^flyreg: no terminal to ask for the password: pipe it in with --password-stdin\n$/);
  });

  it('logs in with the password on stdin and keeps the session in a 0600 file in a 0700 dir', async () => {
    const result = await admin.json<{ username: string; role: string; url: string }>(
      ['login', server.url, '--username', 'admin', '--password-stdin'],
      { stdin: `${server.admin.password}\n` },
    );
    expect(result).toMatchObject({ username: 'admin', role: 'admin', url: server.url });
    const file = join(admin.configDir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(admin.configDir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { sessionToken: string; url: string };
    expect(stored.url).toBe(server.url);
    expect(JSON.stringify(stored)).not.toContain(server.admin.password);
    expect(await whoamiStatus(stored.sessionToken)).toBe(200);

    const who = await admin.json<{ user: { username: string; role: string }; kind: string }>(['whoami']);
    expect(who).toMatchObject({ kind: 'user', user: { username: 'admin', role: 'admin' } });
  });

  it('logout ends the session on the server and deletes the file', async () => {
    const other = new CliUser();
    try {
      await other.login(server);
      const session = (JSON.parse(readFileSync(join(other.configDir, 'credentials.json'), 'utf8')) as { sessionToken: string }).sessionToken;
      expect(await whoamiStatus(session)).toBe(200);
      expect(await other.json(['logout'])).toMatchObject({ loggedOut: true, session: 'ended' });
      expect(await whoamiStatus(session)).toBe(401);
      expect(() => statSync(join(other.configDir, 'credentials.json'))).toThrow();
      const after = await other.run(['whoami']);
      expect(after.code).toBe(1);
      expect(after.stderr).toBe('flyreg: not logged in: run `flyreg login <server url>` first\n');
    } finally {
      other.remove();
    }
  });

  it('says the session is gone when the server revoked it', async () => {
    const other = new CliUser();
    try {
      await other.login(server);
      const session = (JSON.parse(readFileSync(join(other.configDir, 'credentials.json'), 'utf8')) as { sessionToken: string }).sessionToken;
      await new ApiClient(server, session).post('/api/v1/auth/logout');
      const result = await other.run(['token', 'list']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('flyreg: Session expired or logged out: log in again\n');
    } finally {
      other.remove();
    }
  });
});

describe('flyreg token', () => {
  it('creates both kinds with --json: the secret once, and it works against the API', async () => {
    const rw = await admin.json<TokenJson>(['token', 'create', '--name', 'CI deploy', '--permission', 'read-write', '--expires', '30d']);
    expect(rw).toMatchObject({ name: 'CI deploy', permission: 'read-write', status: 'active' });
    expect(rw.token).toMatch(/^flyr_/);
    expect(Date.parse(rw.expiresAt ?? '') - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(rw.snippets?.npmrc).toContain(rw.token);
    expect(await whoamiStatus(rw.token ?? '')).toBe(200);

    const ro = await admin.json<TokenJson>(['token', 'create', '--name', 'reader', '--permission', 'read-only', '--expires', 'never']);
    expect(ro).toMatchObject({ permission: 'read-only', expiresAt: null });

    // Without --permission and --expires: what the dashboard's dialog starts with, read & write for 30 days.
    const plain = await admin.json<TokenJson>(['token', 'create', '--name', 'defaults']);
    expect(plain.permission).toBe('read-write');
    const days = (Date.parse(plain.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const list = await admin.json<TokenJson[]>(['token', 'list']);
    const listed = list.find((t) => t.id === rw.id);
    expect(listed).toMatchObject({ name: 'CI deploy', username: rw.username, status: 'active' });
    expect(JSON.stringify(list)).not.toContain(rw.token);

    const human = await admin.run(['token', 'list']);
    expect(human.stdout).toMatch(/^ID\s+NAME\s+USERNAME\s+PERMISSION\s+STATUS\s+CREATED BY\s+CREATED\s+EXPIRES/);
    expect(human.stdout).toContain(rw.createdAt);
    expect(human.stdout).toContain(rw.username);
  });

  it('refuses bad input with a one-line reason and exit code 1', async () => {
    const pastDate = await admin.run(['token', 'create', '--name', 'x', '--permission', 'read-only', '--expires', '2001-01-01']);
    expect(pastDate).toMatchObject({ code: 1, stderr: 'flyreg: expiresAt must be in the future (or null for a token that never expires)\n' });
    const badPermission = await admin.run(['token', 'create', '--name', 'x', '--permission', 'admin']);
    expect(badPermission.code).not.toBe(0);
    expect(badPermission.stderr).toContain('read-only');
    const badName = await admin.run(['token', 'create', '--name', 'a\u0007b', '--permission', 'read-only']);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/^flyreg: Request body is invalid: name: must not contain control characters\n$/);
  });

  it('revokes by name, deletes by id, and refuses deleting an active token with the reason', async () => {
    const created = await admin.json<TokenJson>(['token', 'create', '--name', 'short-lived', '--permission', 'read-only']);
    const active = await admin.run(['token', 'delete', created.id]);
    expect(active).toMatchObject({ code: 1, stderr: 'flyreg: Only expired or revoked tokens can be deleted: revoke this token first\n' });

    const revoked = await admin.json<{ alreadyRevoked: boolean; token: TokenJson }>(['token', 'revoke', 'short-lived']);
    expect(revoked).toMatchObject({ alreadyRevoked: false, token: { id: created.id, status: 'revoked' } });
    expect(await whoamiStatus(created.token ?? '')).toBe(401);
    const again = await admin.json<{ alreadyRevoked: boolean }>(['token', 'revoke', created.id]);
    expect(again.alreadyRevoked).toBe(true);

    expect(await admin.json(['token', 'delete', created.id])).toMatchObject({ deleted: true, id: created.id });
    const list = await admin.json<TokenJson[]>(['token', 'list']);
    expect(list.some((t) => t.id === created.id)).toBe(false);
  });

  it('lists the candidates when a name matches several tokens, and names an unknown one', async () => {
    const a = await admin.json<TokenJson>(['token', 'create', '--name', 'twin', '--permission', 'read-only']);
    const b = await admin.json<TokenJson>(['token', 'create', '--name', 'twin', '--permission', 'read-only']);
    const ambiguous = await admin.run(['token', 'revoke', 'twin']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr.split('\n')).toHaveLength(2);
    expect(ambiguous.stderr).toContain('2 tokens are named "twin"');
    expect(ambiguous.stderr).toContain(a.id);
    expect(ambiguous.stderr).toContain(b.id);
    expect(await whoamiStatus(a.token ?? '')).toBe(200);

    const unknown = await admin.run(['token', 'revoke', 'no-such-token']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'flyreg: no token has the id or name "no-such-token"\n' });
    const unknownId = await admin.run(['token', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknownId).toMatchObject({ code: 1, stderr: 'flyreg: Token "00000000-0000-4000-8000-000000000000" not found\n' });
  });

  it("refuses a developer revoking the admin's token with the API's reason", async () => {
    const adminToken = await admin.json<TokenJson>(['token', 'create', '--name', 'admin-only', '--permission', 'read-only']);
    const adminApi = new ApiClient(server, (JSON.parse(readFileSync(join(admin.configDir, 'credentials.json'), 'utf8')) as { sessionToken: string }).sessionToken);
    await createUser(adminApi, 'dev-cli', 'developer');
    const developer = new CliUser();
    try {
      await developer.login(server, 'dev-cli', 'pw-dev-cli-0123456789');
      const refused = await developer.run(['token', 'revoke', adminToken.id]);
      expect(refused).toMatchObject({ code: 1, stderr: 'flyreg: Developers can only revoke or delete tokens they created\n' });
      expect(await whoamiStatus(adminToken.token ?? '')).toBe(200);
      const own = await developer.json<TokenJson>(['token', 'create', '--name', 'mine', '--permission', 'read-only']);
      expect(await developer.json(['token', 'revoke', own.id])).toMatchObject({ alreadyRevoked: false });
    } finally {
      developer.remove();
    }
  });

  it('every command answers --help', async () => {
    for (const command of [['login'], ['logout'], ['whoami'], ['token', 'create'], ['token', 'list'], ['token', 'revoke'], ['token', 'delete'], ['setup'], ['mcp']]) {
      const result = await admin.run([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: flyreg /);
    }
  });
});
