import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';
import { basic, creds, errorCode, reg, skopeo } from '../oci/helpers/registry.js';
import { FreezableProxy } from '../support/freezable-proxy.js';
import { startS3rver, type S3rverProcess } from '../support/s3rver-process.js';

/** Long past every bound the server sets itself: a request not answered by then hangs. */
const ANSWERED_WITHIN_MS = 30_000;
/** More than the S3 client's 50 sockets: requests that never got an answer must not keep them. */
const CONCURRENT = 60;

/**
 * An S3-compatible store that accepts connections and then says nothing (a hung endpoint, a stalled path):
 * a pull whose bytes live there is answered 503 in the protocol's format once FLY_S3_TIMEOUT has passed,
 * even with more requests waiting than the S3 client has sockets, and pulls work again as soon as the store
 * answers, without a restart, even when every connection open during the outage is lost for good.
 */
describe('a blob store that stops answering', () => {
  let s3: S3rverProcess;
  let proxy: FreezableProxy;
  let server: TestServer;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let layer: string;
  const work = mkdtempSync(join(tmpdir(), 'blob-outage-'));

  beforeAll(async () => {
    s3 = await startS3rver();
    const front = await FreezableProxy.inFrontOf(s3.endpoint, 80);
    proxy = front.proxy;
    server = await startServer({ env: { ...s3.env(), FLY_S3_ENDPOINT: front.url, FLY_S3_TIMEOUT: '2' } });
    const admin = await login(server);
    writer = await admin.createToken({ name: 'writer', permission: 'read-write' });
    reader = await admin.createToken({ name: 'reader', permission: 'read-only' });
    const pushed = await pushImage(server, writer, 'team/app', 'v1');
    layer = pushed.blobs[1] as string;
  });

  afterAll(async () => {
    proxy?.thaw();
    await server?.stop();
    await proxy?.close();
    await s3?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('answers pulls 503 in the protocol format while the store is silent, however many wait', async () => {
    proxy.freeze();
    try {
      const blobs = await Promise.all(
        Array.from({ length: CONCURRENT }, () => reg(server, `/v2/team/app/blobs/${layer}`, { auth: basic(reader), signal: AbortSignal.timeout(ANSWERED_WITHIN_MS) })),
      );
      for (const blob of blobs) {
        expect(blob.status).toBe(503);
        expect(await errorCode(blob)).toBe('UNAVAILABLE');
      }
      const pulled = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(reader), `docker://${server.host}/team/app:v1`, `oci:${join(work, 'during')}:v1`]);
      expect(pulled.code, pulled.stderr).not.toBe(0);
      expect(pulled.stderr).toMatch(/503|UNAVAILABLE|unavailable/);
    } finally {
      // Every connection open while it was silent stays silent for good: only new ones work.
      proxy.thaw({ lost: true });
    }
  });

  it('pulls again once the store answers, without a restart', async () => {
    const pulled = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(reader), `docker://${server.host}/team/app:v1`, `oci:${join(work, 'after')}:v1`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    for (let i = 0; i < 10; i++) expect((await reg(server, `/v2/team/app/blobs/${layer}`, { auth: basic(reader) })).status).toBe(200);
    const output = await server.settledOutput();
    expect(output).toContain('storage is unavailable');
    expect(output).not.toContain(reader.token);
  });
});
