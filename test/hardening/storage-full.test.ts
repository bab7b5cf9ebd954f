import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmTarball, publishBody } from '../support/npm-fixtures.js';
import { login, type CreatedToken } from '../helpers/api.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { basic, reg } from '../oci/helpers/registry.js';
import { uploadDistribution } from '../support/pypi-upload.js';
import { buildWheel } from '../support/python-dists.js';
import { canMountTmpfs, fillUp, mountTmpfs, unmountTmpfs } from '../support/tmpfs.js';

const MOUNTABLE = canMountTmpfs();
if (!MOUNTABLE) console.warn('storage-full tests skipped: this machine cannot mount a tmpfs (needs root and mount rights)');

/**
 * A full or read-only data directory (a tmpfs mounted over it: the SQLite database and the blobs on SQLite,
 * the blobs on PostgreSQL): every protocol answers "insufficient storage" in its own format, the log names the
 * cause, /readyz says not ready while writes fail, and everything works again once space is back, without a
 * restart. Nothing half-written is ever visible.
 */
describe.skipIf(!MOUNTABLE)('disk full and read-only storage', () => {
  let database: TestDatabase;
  let server: TestServer;
  let writer: CreatedToken;
  /** An admin's login session, taken while the disk had room (logging in writes a session row). */
  let adminBearer: string;
  const work = mkdtempSync(join(tmpdir(), 'storage-full-'));
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    mountTmpfs(database.dataDir, '48m');
    server = await startServer({ database });
    const admin = await login(server);
    adminBearer = admin.bearer ?? '';
    writer = await admin.createToken({ name: 'writer', permission: 'read-write' });
  });
  afterAll(async () => {
    await server?.stop();
    unmountTmpfs(database.dataDir);
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  const npmPublish = (name: string) => {
    const version = `1.0.${counter++}`;
    const manifest = { name, version };
    const body = publishBody({ name, version, manifest, tarball: npmTarball(manifest, { 'x.bin': randomBytes(64 * 1024) }) }, `${server.url}/npm/`);
    return fetch(`${server.url}/npm/${name}`, { method: 'PUT', headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };
  const ociBlob = () => {
    const bytes = randomBytes(64 * 1024);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    return reg(server, `/v2/team/app/blobs/uploads/?digest=${digest}`, { method: 'POST', auth: basic(writer), headers: { 'content-type': 'application/octet-stream' }, body: bytes });
  };
  const pypiUpload = async () => uploadDistribution(server.url, writer.username, writer.token, await buildWheel(work, { name: 'full-disk', version: `0.${counter++}` }));
  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
  };

  /** Every protocol's refusal while storage fails, then readiness; `cause` is what the messages must name. */
  async function expectRefusals(cause: RegExp, databaseOnIt: boolean): Promise<void> {
    const npm = await npmPublish('full-pkg');
    expect(npm.status).toBe(507);
    expect(((await npm.json()) as { error: string }).error).toMatch(cause);

    const oci = await ociBlob();
    expect(oci.status).toBe(507);
    const ociBody = (await oci.json()) as { errors: { code: string; message: string }[] };
    expect(ociBody.errors[0]?.code).toBe('UNAVAILABLE');
    expect(ociBody.errors[0]?.message).toMatch(cause);

    const pypi = await pypiUpload();
    expect(pypi.status).toBe(507);

    if (databaseOnIt) {
      // The database itself cannot be written: a token creation is refused in the API's format, naming SQLite's cause.
      const token = await fetch(`${server.url}/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminBearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `t${counter++}`, permission: 'read-only', expiresAt: null }),
      });
      expect(token.status).toBe(507);
      expect(((await token.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'insufficient_storage', message: expect.stringMatching(cause) });
    }

    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toMatch(cause);

    // Nothing half-written: the package that failed to publish does not exist.
    expect((await fetch(`${server.url}/npm/full-pkg`, { headers: { authorization: `Bearer ${writer.token}` } })).status).toBe(404);
    expect(server.output()).toContain('storage cannot be written');
  }

  async function expectRecovered(name: string): Promise<void> {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    const npm = await npmPublish(name);
    expect(npm.status).toBe(201);
    expect((await ociBlob()).status).toBe(201);
    expect((await pypiUpload()).status).toBe(200);
    const packument = (await (await fetch(`${server.url}/npm/${name}`, { headers: { authorization: `Bearer ${writer.token}` } })).json()) as { versions: Record<string, unknown> };
    expect(Object.keys(packument.versions)).toHaveLength(1);
  }

  it('a full disk: 507 in each protocol, the cause logged, not ready; ready again once space is freed', async () => {
    expect((await readyz()).status).toBe(200);
    const filler = join(database.dataDir, 'filler');
    fillUp(filler);
    try {
      await expectRefusals(/ENOSPC|SQLITE_FULL/, TEST_ENGINE === 'sqlite');
      expect(server.output()).toMatch(/ENOSPC|SQLITE_FULL/);
      expect(server.output()).not.toContain('cannot rollback');
    } finally {
      rmSync(filler);
    }
    await expectRecovered('after-full-disk');
  });

  it('a read-only blob directory: 507 in each protocol, not ready; ready again once writable', async () => {
    // A read-only bind mount of the blob directory over itself: its blobs stay readable, writes get EROFS. (The
    // whole tmpfs cannot be remounted read-only while SQLite holds its database open for writing; and as root,
    // the server would ignore a chmod.)
    const blobs = join(database.dataDir, 'blobs');
    execFileSync('mount', ['--bind', blobs, blobs]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', blobs]);
      await expectRefusals(/EROFS/, false);
    } finally {
      execFileSync('umount', [blobs]);
    }
    await expectRecovered('after-read-only');
  });
});
