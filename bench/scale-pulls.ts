import { createHash, randomBytes } from 'node:crypto';
import { adminSession } from './api-calls.js';
import type { S3rverProcess } from '../test/support/s3rver-process.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { spawnServer } from '../test/support/server-process.js';

export interface PullFigures {
  /** The server streams the blob from S3 to the client. */
  streamedMBps: number;
  /** The server answers 307 with a pre-signed URL; the client fetches from the object store. */
  redirectedMBps: number;
  blobBytes: number;
}

const MiB = 1024 * 1024;
const ROUNDS = 3;
const REPO = 'bench/s3';

/**
 * `GET /v2/<repo>/blobs/<digest>` of one layer through a real server whose blobs live in an S3-compatible
 * store (s3rver), once streamed by the server and once redirected to the store (FLY_BLOB_REDIRECT=true).
 * Each mode gets its own server on an embedded database; both share the store. Best of three pulls.
 */
export async function measureS3Pulls(s3: S3rverProcess, blobBytes = 64 * MiB): Promise<PullFigures> {
  const layer = randomBytes(blobBytes);
  const digest = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
  const streamedMBps = await pullThroughServer(s3, layer, digest, false);
  const redirectedMBps = await pullThroughServer(s3, layer, digest, true);
  return { streamedMBps, redirectedMBps, blobBytes };
}

async function pullThroughServer(s3: S3rverProcess, layer: Buffer, digest: string, redirect: boolean): Promise<number> {
  const database = await createScratchDatabase('sqlite', '', 'flybench-s3');
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({
    databaseUrl: database.url,
    dataDir: database.dataDir,
    admin,
    env: { ...s3.env(redirect ? 'bench-redirect' : 'bench-stream'), FLY_BLOB_REDIRECT: String(redirect), FLY_LOG_LEVEL: 'warn' },
  });
  try {
    const token = await (await adminSession(server.url, admin)).createToken('bench', 'read-write');
    const authorization = `Basic ${Buffer.from(`${token.username}:${token.token}`).toString('base64')}`;
    const pushed = await fetch(`${server.url}/v2/${REPO}/blobs/uploads/?digest=${digest}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(layer),
    });
    if (pushed.status !== 201) throw new Error(`push answered ${pushed.status}: ${await pushed.text()}`);
    let best = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      // fetch follows the 307 and drops the Authorization header on the way to the store, as clients do.
      const res = await fetch(`${server.url}/v2/${REPO}/blobs/${digest}`, { headers: { authorization } });
      if (res.status !== 200 || !res.body) throw new Error(`pull answered ${res.status}`);
      if (res.redirected !== redirect) throw new Error(`expected ${redirect ? 'a' : 'no'} redirect`);
      let bytes = 0;
      for await (const chunk of res.body) bytes += chunk.length;
      if (bytes !== layer.length) throw new Error(`pulled ${bytes} of ${layer.length} bytes`);
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    return layer.length / MiB / best;
  } finally {
    await server.stop();
    await database.drop();
  }
}
