import { randomBytes } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { OCI_MANIFEST } from '../oci/helpers/oci-layout.js';
import { basic, errorCode, reg } from '../oci/helpers/registry.js';

/** What the slow publish below declares: most of the server's 1 MiB budget. */
const HELD_BYTES = 900_000;

/**
 * Bodies a route reads whole (an npm publish's JSON, an OCI manifest) share one budget a process
 * (FLY_BODY_MEMORY_MB, 1 MiB here): while a slow publish holds most of it, another publish is refused at once
 * with 503 in npm's format, a manifest in OCI's, a management API call in the API's, and npm's own retry
 * (10 s later) publishes once the slow one has been answered. Without it, concurrent publishes of the largest
 * size each cost several times their size in memory together.
 */
describe('the memory that request bodies read whole may take', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  const npm = new NpmSandbox();
  let project: string;
  let packed: string;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_BODY_MEMORY_MB: '1' } });
    admin = await login(server);
    writer = await admin.createToken({ name: 'writer', permission: 'read-write' });
    // npm gives up on the first 503 here instead of retrying it (fetch-retries defaults to 2, 10 s apart).
    project = npm.project(`${writer.snippets.npmrc}\nfetch-retries=0\n`);
    // About 500 KB of publish body: random bytes do not compress.
    packed = await npm.pack({ name: 'fly-heavy', version: '1.0.0' }, { 'data.txt': randomBytes(300_000).toString('base64') });
  });
  afterAll(async () => {
    await server?.stop();
    npm.remove();
  });

  /** The body memory this server holds now, from its metrics. */
  const held = async () => Number(/^fly_body_memory_held_bytes (\d+)/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1]);

  it('refuses a publish past the budget at once (503), and takes it once the memory is free', async () => {
    // A publish that declares 900,000 bytes and sends almost none of them yet.
    const slow: ClientRequest = request(`${server.url}/npm/fly-slow`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json', 'content-length': HELD_BYTES },
    });
    const answered = new Promise<number>((resolve) => slow.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))));
    slow.on('error', () => undefined);
    slow.write('{');
    const deadline = Date.now() + 10_000;
    while ((await held()) < HELD_BYTES) {
      if (Date.now() > deadline) throw new Error('the slow publish never held its body memory');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const refused = await npm.run(project, ['publish', packed]);
    expect(refused.code, refused.output).not.toBe(0);
    expect(refused.output).toMatch(/\b503\b/);
    expect(refused.output).toContain('retry shortly');
    const manifest = await reg(server, '/v2/team/app/manifests/v1', {
      method: 'PUT',
      auth: basic(writer),
      headers: { 'content-type': OCI_MANIFEST },
      body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, padding: 'x'.repeat(200_000) }),
    });
    expect(manifest.status).toBe(503);
    expect(await errorCode(manifest)).toBe('UNAVAILABLE');
    const apiCall = await admin.post('/api/v1/tokens', { name: 'padded', permission: 'read-only', expiresAt: null, description: 'x'.repeat(200_000) });
    expect(apiCall.status).toBe(503);
    expect(apiCall.body).toMatchObject({ error: { code: 'unavailable' } });

    // npm as it comes (fetch-retries 2) is refused too, and retries 10 s later on its own.
    let refusedOnce!: () => void;
    const firstAttemptRefused = new Promise<void>((resolve) => (refusedOnce = resolve));
    const retrying = npm.run(npm.project(writer.snippets.npmrc), ['publish', packed, '--loglevel', 'http'], {
      onOutput: (soFar) => /attempt 1 failed with 503/.test(soFar) && refusedOnce(),
    });
    await firstAttemptRefused;

    // The slow publish ends (badly: its JSON is cut short) and is answered; its memory is free again.
    slow.end('}'.padEnd(HELD_BYTES - 1, ' '));
    expect(await answered).toBe(400);
    expect(await held()).toBe(0);
    const published = await retrying;
    expect(published.code, published.output).toBe(0);
    expect(published.output).toMatch(/attempt 1 failed with 503/);
    const view = await npm.run(project, ['view', 'fly-heavy', 'version']);
    expect(view.stdout.trim()).toBe('1.0.0');
  });
});
