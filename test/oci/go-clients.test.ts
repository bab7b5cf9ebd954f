import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { runTool, type RunResult } from '../helpers/run-tool.js';
import { goTool } from '../helpers/tools.js';
import { OCI_MANIFEST, OciLayout, type Descriptor } from './helpers/oci-layout.js';
import { basic, reg } from './helpers/registry.js';

/**
 * crane, oras and regctl (Go clients built by scripts/install-go-tools.sh) against a real server: pushes,
 * pulls, tags, copies, deletes, and an oras artifact attached to an image whose referrers list is read back.
 * Each tool keeps its logins in a throwaway home, so no test shares or leaks a credential.
 */
describe('the Go registry clients crane, oras and regctl', () => {
  let server: TestServer;
  let admin: ApiClient;
  let rw: CreatedToken;
  let ro: CreatedToken;
  let work: string;
  let source: OciLayout;
  let image: Descriptor;
  const homes: Record<string, string> = {};

  /**
   * Runs a Go client in `work` (oras names files relative to it) as a user whose home (Docker config, regctl
   * config) is a temporary directory of their own.
   */
  function tool(name: 'crane' | 'oras' | 'regctl', user: string, args: string[]): Promise<RunResult> {
    homes[user] ??= mkdtempSync(join(work, `home-${user}-`));
    const home = homes[user];
    const env = { PATH: process.env.PATH ?? '', HOME: home, DOCKER_CONFIG: join(home, '.docker'), XDG_CONFIG_HOME: join(home, '.config') };
    return runTool(goTool(name), args, { cwd: work, env, timeoutMs: 120_000 });
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    rw = await admin.createToken({ name: 'CI push', permission: 'read-write' });
    ro = await admin.createToken({ name: 'cluster pull', permission: 'read-only' });
    work = mkdtempSync(join(tmpdir(), 'flyreg-go-clients-'));
    source = new OciLayout(join(work, 'layout'));
    image = await source.addImage({ layers: 2 });
    source.tag(image, 'v1');
  });

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /**
   * The clients reach the registry by the host name of its public URL (http://localhost:<port>), which its
   * token realm names too: oras refuses a realm on a loopback address unless it is the registry's own host.
   */
  const registry = () => `localhost:${server.port}`;
  const ref = (path: string) => `${registry()}/${path}`;

  it('crane logs in with a read & write token, pushes an OCI layout, and copies it to another repository', async () => {
    const loggedIn = await tool('crane', 'writer', ['auth', 'login', registry(), '-u', rw.username, '-p', rw.token]);
    expect(loggedIn.code, loggedIn.output).toBe(0);
    const pushed = await tool('crane', 'writer', ['push', '--insecure', source.dir, ref('go/app:v1')]);
    expect(pushed.code, pushed.output).toBe(0);
    expect(pushed.stdout.trim()).toBe(`${ref('go/app')}@${image.digest}`);
    // A copy between repositories of one registry mounts the blobs instead of uploading them again.
    const before = server.output().length;
    const copied = await tool('crane', 'writer', ['copy', '--insecure', ref('go/app:v1'), ref('go/copy:v1')]);
    expect(copied.code, copied.output).toBe(0);
    const mounts = (await server.settledOutput())
      .slice(before)
      .split('\n')
      .filter((line) => line.includes('"url":"/v2/go/copy/blobs/uploads/?') && line.includes('mount=') && line.includes('"msg":"request'));
    expect(mounts.length).toBeGreaterThan(0);
    expect(mounts.every((line) => line.includes('"status":201')), mounts.join('\n')).toBe(true);
    expect(pushed.output).not.toContain(rw.token);
  });

  it('crane reads with a read-only token: digest, exact manifest bytes, tags, and a pull to an OCI layout', async () => {
    expect((await tool('crane', 'reader', ['auth', 'login', registry(), '-u', ro.username, '-p', ro.token])).code).toBe(0);
    const digest = await tool('crane', 'reader', ['digest', '--insecure', ref('go/copy:v1')]);
    expect(digest.stdout.trim(), digest.output).toBe(image.digest);
    const manifest = await tool('crane', 'reader', ['manifest', '--insecure', ref('go/app:v1')]);
    expect(Buffer.from(manifest.stdout).equals(source.blob(image.digest))).toBe(true);
    await tool('crane', 'writer', ['tag', '--insecure', ref('go/app:v1'), 'stable']);
    const tags = await tool('crane', 'reader', ['ls', '--insecure', ref('go/app')]);
    expect(tags.stdout.trim().split('\n').sort()).toEqual(['stable', 'v1']);
    const pulled = await tool('crane', 'reader', ['pull', '--insecure', '--format', 'oci', ref('go/app:v1'), join(work, 'pulled')]);
    expect(pulled.code, pulled.output).toBe(0);
    const layers = (JSON.parse(source.blob(image.digest).toString()) as { layers: Descriptor[] }).layers;
    for (const layer of layers) {
      expect(readFileSync(join(work, 'pulled', 'blobs', 'sha256', layer.digest.slice(7))).equals(source.blob(layer.digest))).toBe(true);
    }
  });

  it('crane cannot push or delete with the read-only token (the server says why), and deletes with read & write', async () => {
    const push = await tool('crane', 'reader', ['push', '--insecure', source.dir, ref('go/denied:v1')]);
    expect(push.code).not.toBe(0);
    expect(push.output).toMatch(/read-only/);
    const refused = await tool('crane', 'reader', ['delete', '--insecure', `${ref('go/copy')}@${image.digest}`]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/read-only/);
    const deleted = await tool('crane', 'writer', ['delete', '--insecure', `${ref('go/copy')}@${image.digest}`]);
    expect(deleted.code, deleted.output).toBe(0);
    expect((await reg(server, `/v2/go/copy/manifests/${image.digest}`, { auth: basic(ro) })).status).toBe(404);
  });

  it('oras pushes an artifact with an artifactType, attaches one to the image as its subject, and reads the referrers back', async () => {
    writeFileSync(join(work, 'notes.txt'), 'release notes\n');
    writeFileSync(join(work, 'sbom.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'go/app' }));
    const creds = ['--plain-http', '-u', rw.username, '-p', rw.token];
    const pushed = await tool('oras', 'writer', ['push', ...creds, '--artifact-type', 'application/vnd.fly.notes', '--format', 'json', ref('go/notes:v1'), 'notes.txt:text/plain']);
    expect(pushed.code, pushed.output).toBe(0);
    const artifact = JSON.parse(pushed.stdout) as { digest: string; artifactType: string };
    expect(artifact.artifactType).toBe('application/vnd.fly.notes');
    const stored = await reg(server, `/v2/go/notes/manifests/v1`, { auth: basic(ro), headers: { accept: OCI_MANIFEST } });
    expect((JSON.parse(await stored.text()) as { artifactType: string }).artifactType).toBe('application/vnd.fly.notes');

    // The subject is the image crane pushed; the referrers API (not the fallback tag scheme) is used.
    const attached = await tool('oras', 'writer', [
      'attach', ...creds, '--distribution-spec', 'v1.1-referrers-api',
      '--artifact-type', 'application/spdx+json', '--format', 'json', ref('go/app:v1'), 'sbom.json:application/spdx+json',
    ]);
    expect(attached.code, attached.output).toBe(0);
    const sbomManifest = JSON.parse(attached.stdout) as { digest: string };

    const discovered = await tool('oras', 'reader', ['discover', '--plain-http', '-u', ro.username, '-p', ro.token, '--format', 'json', ref('go/app:v1')]);
    expect(discovered.code, discovered.output).toBe(0);
    const referrers = (JSON.parse(discovered.stdout) as { referrers: { digest: string; artifactType: string }[] }).referrers;
    expect(referrers.map((r) => [r.digest, r.artifactType])).toEqual([[sbomManifest.digest, 'application/spdx+json']]);
    const filtered = await tool('oras', 'reader', ['discover', '--plain-http', '-u', ro.username, '-p', ro.token, '--format', 'json', '--artifact-type', 'application/vnd.other', ref('go/app:v1')]);
    expect((JSON.parse(filtered.stdout) as { referrers: unknown[] }).referrers).toEqual([]);

    // Pulled back with the read-only token, byte for byte.
    const out = join(work, 'oras-pulled');
    const pulled = await tool('oras', 'reader', ['pull', '--plain-http', '-u', ro.username, '-p', ro.token, '-o', out, ref('go/notes:v1')]);
    expect(pulled.code, pulled.output).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('release notes\n');

    const refused = await tool('oras', 'reader', ['push', '--plain-http', '-u', ro.username, '-p', ro.token, ref('go/notes:v2'), 'notes.txt:text/plain']);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/read-only/);
  });

  it('regctl lists tags, reads a manifest and the referrers with a read-only token, and is refused once the token is revoked', async () => {
    const doomed = await admin.createToken({ name: 'regctl', permission: 'read-only' });
    // Logged in first: `registry set` checks the registry, which answers 401 to anyone anonymous.
    const loggedIn = await tool('regctl', 'regctl', ['registry', 'login', '--skip-check', registry(), '-u', doomed.username, '-p', doomed.token]);
    expect(loggedIn.code, loggedIn.output).toBe(0);
    const set = await tool('regctl', 'regctl', ['registry', 'set', registry(), '--tls', 'disabled']);
    expect(set.code, set.output).toBe(0);
    const tags = await tool('regctl', 'regctl', ['tag', 'ls', ref('go/app')]);
    expect(tags.stdout.trim().split('\n').sort(), tags.output).toEqual(['stable', 'v1']);
    const digest = await tool('regctl', 'regctl', ['image', 'digest', ref('go/app:v1')]);
    expect(digest.stdout.trim(), digest.output).toBe(image.digest);
    const raw = await tool('regctl', 'regctl', ['manifest', 'get', '--format', 'raw-body', ref('go/app:v1')]);
    expect(Buffer.from(raw.stdout).equals(source.blob(image.digest))).toBe(true);
    const listed = await tool('regctl', 'regctl', ['artifact', 'list', '--filter-artifact-type', 'application/spdx+json', '--format', '{{json .Manifest}}', ref('go/app:v1')]);
    expect(listed.code, listed.output).toBe(0);
    const index = JSON.parse(listed.stdout) as { manifests: { artifactType: string }[] };
    expect(index.manifests.map((m) => m.artifactType)).toEqual(['application/spdx+json']);

    expect((await admin.post(`/api/v1/tokens/${doomed.id}/revoke`)).status).toBe(200);
    const after = await tool('regctl', 'regctl', ['tag', 'ls', ref('go/app')]);
    expect(after.code).not.toBe(0);
    expect(after.output).toMatch(/401|unauthorized/i);
  });
});
