import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBenchPackages, publishAll } from '../support/npm-fixtures.js';
import { uploadDistribution } from '../support/pypi-upload.js';
import { buildWheel } from '../support/python-dists.js';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';
import { basic, reg } from '../oci/helpers/registry.js';

interface AuditEvent {
  actor: string;
  action: string;
  ip: string | null;
  target: { type: string; name: string | null };
  details: Record<string, unknown>;
}

/** Every write that changes what a client would download is in the audit log, with the token and address. */
describe('destructive artifact actions are audited', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  const dir = mkdtempSync(join(tmpdir(), 'artifact-audit-'));

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'ci', permission: 'read-write' });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = async (): Promise<AuditEvent[]> => (await admin.get<{ events: AuditEvent[] }>('/api/v1/audit?limit=200')).body.events;
  const expectAudited = async (action: string, name: string, details: Record<string, unknown> = {}) => {
    const found = (await events()).find((e) => e.action === action && e.target.name === name);
    expect(found, `${action} ${name}`).toBeDefined();
    expect(found?.actor).toContain(writer.username);
    expect(found?.ip).toBe('127.0.0.1');
    expect(found?.details).toMatchObject(details);
  };

  it('OCI: tag, manifest and blob deletes', async () => {
    const image = await pushImage(server, writer, 'team/app', 'v1');
    await pushImage(server, writer, 'team/app', 'v2');
    expect((await reg(server, '/v2/team/app/manifests/v2', { method: 'DELETE', auth: basic(writer) })).status).toBe(202);
    await expectAudited('image.tag_deleted', 'team/app', { reference: 'v2' });
    expect((await reg(server, `/v2/team/app/manifests/${image.digest}`, { method: 'DELETE', auth: basic(writer) })).status).toBe(202);
    await expectAudited('image.manifest_deleted', 'team/app', { reference: image.digest });
    expect((await reg(server, `/v2/team/app/blobs/${image.blobs[1]}`, { method: 'DELETE', auth: basic(writer) })).status).toBe(202);
    await expectAudited('image.blob_deleted', 'team/app', { digest: image.blobs[1] });
  });

  it('npm: dist-tag moves and removals, deprecations', async () => {
    const registry = `${server.url}/npm/`;
    const [pkg] = await makeBenchPackages(1, 'audited');
    if (!pkg) throw new Error('no package');
    await publishAll(registry, writer.token, [pkg]);
    const auth = { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' };
    expect((await fetch(`${registry}-/package/${pkg.name}/dist-tags/beta`, { method: 'PUT', headers: auth, body: JSON.stringify('1.0.0') })).status).toBe(201);
    await expectAudited('package.tag_set', pkg.name, { tag: 'beta', version: '1.0.0' });
    expect((await fetch(`${registry}-/package/${pkg.name}/dist-tags/beta`, { method: 'DELETE', headers: auth })).status).toBe(200);
    await expectAudited('package.tag_removed', pkg.name, { tag: 'beta' });

    const packument = (await (await fetch(`${registry}${pkg.name}`, { headers: auth })).json()) as { _rev: string; versions: Record<string, Record<string, unknown>> };
    const versions = Object.fromEntries(Object.entries(packument.versions).map(([v, m]) => [v, { ...m, deprecated: 'use something else' }]));
    const deprecate = await fetch(`${registry}${pkg.name}/-rev/${packument._rev}`, { method: 'PUT', headers: auth, body: JSON.stringify({ ...packument, versions }) });
    expect(deprecate.status).toBeLessThan(300);
    await expectAudited('package.changed', pkg.name, { deprecated: ['1.0.0'] });
  });

  it('PyPI: yank and un-yank', async () => {
    const wheel = await buildWheel(dir, { name: 'audited-py', version: '1.0' });
    expect((await uploadDistribution(server.url, writer.username, writer.token, wheel)).status).toBe(200);
    const asWriter = { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' };
    expect((await fetch(`${server.url}/api/v1/pypi/projects/audited-py/versions/1.0/yank`, { method: 'POST', headers: asWriter, body: JSON.stringify({ reason: 'broken' }) })).status).toBe(200);
    await expectAudited('package.yanked', 'audited-py', { version: '1.0', reason: 'broken' });
    expect((await fetch(`${server.url}/api/v1/pypi/projects/audited-py/versions/1.0/unyank`, { method: 'POST', headers: { authorization: asWriter.authorization } })).status).toBe(200);
    await expectAudited('package.unyanked', 'audited-py', { version: '1.0' });
  });
});
