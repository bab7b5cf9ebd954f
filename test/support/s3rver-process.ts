import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client } from '../../src/storage/blobs/s3-client.js';

/** s3rver accepts any request signed with these (its documented defaults). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverProcess {
  /** e.g. http://127.0.0.1:40123 */
  endpoint: string;
  bucket: string;
  /** The FLY_* settings that point a server at this store (`prefix` becomes the key prefix). */
  env(prefix?: string): Record<string, string>;
  /** A client for the test itself (to look at the bucket). */
  client(): ReturnType<typeof createS3Client>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (a local S3-compatible server from the npm registry) as a child process on a free port of
 * 127.0.0.1, over a fresh temporary directory, with one empty bucket. A separate process, like a real object
 * store: its memory stays out of the memory measurements of whoever uses it, and several server processes
 * can share it. Used by the S3 blob-store contract test, the two-replica tests and the scale benchmark.
 */
export async function startS3rver(bucket = 'fly-test'): Promise<S3rverProcess> {
  const directory = await mkdtemp(join(tmpdir(), 'fly-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(process.execPath, [bin, '--directory', directory, '--address', '127.0.0.1', '--port', '0', '--silent', '--configure-bucket', bucket], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on [^:\s]+:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code}:\n${output}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const settings = { endpoint, region: 'us-east-1', forcePathStyle: true, ...S3RVER_CREDENTIALS };
  return {
    endpoint,
    bucket,
    env: (prefix = '') => ({
      FLY_BLOB_STORE: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
      FLY_S3_ENDPOINT: endpoint,
      FLY_S3_REGION: settings.region,
      FLY_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      FLY_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      FLY_S3_FORCE_PATH_STYLE: 'true',
    }),
    client: () => createS3Client(settings),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
