import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { openUploads, storedBlobs } from '../pypi/uploads.js';


const chartYaml = (name: string, version: string) => `apiVersion: v2\nname: ${name}\nversion: ${version}\n`;

describe('Helm uploads: malformed charts and wrong names or versions are refused with {"error"}, nothing stored', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let work: string;
  let goodBlobs: string[];

  const put = (filename: string, body: Buffer) =>
    fetch(`${server.url}/helm/charts/${filename}`, { method: 'PUT', headers: basicAuth(writer.username, writer.token), body: new Uint8Array(body) });

  async function expectRefused(filename: string, body: Buffer, message: RegExp): Promise<void> {
    const res = await put(filename, body);
    const answer = (await res.json()) as { error: string };
    expect(res.status, answer.error).toBe(400);
    expect(answer.error).toMatch(message);
    const index = (await (await fetch(`${server.url}/helm/index.yaml`, { headers: basicAuth(writer.username, writer.token) })).json()) as {
      entries: Record<string, unknown[]>;
    };
    expect(Object.keys(index.entries)).toEqual(['good']);
    expect(storedBlobs(server).sort()).toEqual(goodBlobs);
    expect(openUploads(server)).toEqual([]);
  }

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-badcharts-'));
    writer = await (await login(server)).createToken({ name: 'helm-ci', permission: 'read-write' });
    const good = await put('good-1.0.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('good', '1.0.0') }));
    expect(good.status, await good.text()).toBe(201);
    goodBlobs = storedBlobs(server).sort();
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('bytes that are not a .tgz, and an archive without Chart.yaml', async () => {
    await expectRefused('good-1.1.0.tgz', Buffer.from('not a chart'), /Invalid chart: not a readable .tar.gz/);
    await expectRefused('good-1.1.0.tgz', tarGzOf({ 'good/values.yaml': 'a: 1\n' }), /no <chart>\/Chart.yaml inside/);
  });

  it('a file name that is not the one Chart.yaml gives', async () => {
    await expectRefused('good-1.2.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('good', '1.1.0') }), /so the file must be named good-1.1.0.tgz, not good-1.2.0.tgz/);
    await expectRefused('other-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('good', '1.1.0') }), /must be named good-1.1.0.tgz/);
  });

  it('a Chart.yaml that is not YAML, lacks fields, or names another directory', async () => {
    await expectRefused('good-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': 'name: [unclosed\n' }), /Chart.yaml is not valid YAML/);
    await expectRefused('good-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': 'apiVersion: v2\nname: good\n' }), /Chart.yaml version/);
    await expectRefused('good-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('good', 'one') }), /must be a semantic version/);
    await expectRefused('bad-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('bad', '1.1.0') }), /names chart bad, but the archive's directory is good\//);
  });

  it('entries outside the chart directory', async () => {
    await expectRefused('good-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('good', '1.1.0'), 'evil/x': '' }), /"evil\/x" is outside the chart directory good\//);
    await expectRefused('good-1.1.0.tgz', tarGzOf({ 'good/Chart.yaml': chartYaml('good', '1.1.0'), 'good/../../x': '' }), /leaves the chart's directory/);
  });
});
