import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from './npm-cli.js';

/**
 * npm itself publishing more than FLY_NPM_MAX_BODY_MB: the server refuses the body from its Content-Length
 * while npm is still sending it, and npm must report that 413, not a network error. (npm read it in three
 * runs without http/lingering-close.ts too; the raw-socket test in test/hardening/body-limits.test.ts is the
 * one that fails without it.)
 */
describe('npm publish over the body limit', () => {
  let server: TestServer;
  let sandbox: NpmSandbox;
  let writer: CreatedToken;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_NPM_MAX_BODY_MB: '1' } });
    writer = await (await login(server)).createToken({ name: 'CI publish', permission: 'read-write' });
    sandbox = new NpmSandbox();
  });
  afterAll(async () => {
    sandbox?.remove();
    await server?.stop();
  });

  it('npm reports the 413 each time, the secret stays out of its output, and nothing is published', async () => {
    const project = sandbox.project(writer.snippets.npmrc, { 'package.json': { name: 'fly-too-big', version: '1.0.0', main: 'index.js' }, 'index.js': 'module.exports = 1;\n' });
    // Incompressible: the gzipped tarball, base64 inside npm's JSON, is about 5 MiB against a 1 MiB limit.
    writeFileSync(join(project, 'blob.bin'), randomBytes(4 * 1024 * 1024));
    for (let attempt = 0; attempt < 3; attempt++) {
      const published = await sandbox.run(project, ['publish']);
      expect(published.code).not.toBe(0);
      expect(published.output).toMatch(/E413|413 Payload Too Large|larger than this endpoint accepts/);
      expect(published.output).not.toMatch(/EPIPE|ECONNRESET|socket hang up/);
      expect(published.output).not.toContain(writer.token);
    }
    const packument = await fetch(`${server.url}/npm/fly-too-big`, { headers: { authorization: `Bearer ${writer.token}` } });
    expect(packument.status).toBe(404);
  });
});
