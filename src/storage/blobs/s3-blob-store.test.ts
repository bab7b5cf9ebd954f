import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverProcess } from '../../../test/support/s3rver-process.js';
import type { Digest } from '../../core/blob-store.js';
import { blobStoreContract } from './blob-store.contract.js';
import { cleanAbandonedUploads } from './clean-uploads.js';
import { S3BlobStore } from './s3-blob-store.js';
import { parseS3Url } from './s3-location.js';

// Small parts, so that the contract's multi-MiB blobs go through real multipart uploads of several parts.
const PART_BYTES = 5 * 1024 * 1024;

let s3: S3rverProcess;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

/** A store over a fresh key prefix of the shared bucket: every test starts from an empty store. */
function storeAt(prefix: string, redirectDownloads = false): S3BlobStore {
  return new S3BlobStore({ client: s3.client(), location: parseS3Url(`s3://${s3.bucket}/${prefix}`), partBytes: PART_BYTES, redirectDownloads });
}

blobStoreContract('s3 (s3rver)', async () => {
  const prefix = `contract-${randomUUID()}`;
  return {
    store: storeAt(prefix),
    // Another instance over the same bucket and prefix: a restarted server, or another replica.
    reopen: async () => storeAt(prefix),
    cleanup: async () => undefined, // s3rver's directory is removed with it
  };
});

function sha256(content: string | Buffer): Digest {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

async function keys(prefix: string): Promise<string[]> {
  const page = await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}

/** What only the S3 store can show: where objects land, and sessions shared between replicas. */
describe('S3BlobStore in its bucket', () => {
  it('parses s3:// URLs into bucket and key prefix', () => {
    expect(parseS3Url('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Url('s3://my-bucket/registry/blobs/')).toEqual({ bucket: 'my-bucket', prefix: 'registry/blobs/' });
    expect(() => parseS3Url('https://my-bucket')).toThrow(/s3:\/\//);
    expect(() => parseS3Url('s3://UPPER')).toThrow(/bucket/);
  });

  it('lays blobs out by algorithm and hex prefix, and sessions as a marker plus one object per append', async () => {
    const prefix = `layout-${randomUUID()}`;
    const store = storeAt(prefix);
    const digest = sha256('in the bucket');
    await store.put(Readable.from([Buffer.from('in the bucket')]));
    const hex = digest.slice('sha256:'.length);
    expect(await keys(`${prefix}/`)).toEqual([`${prefix}/sha256/${hex.slice(0, 2)}/${hex}`]);

    const id = await store.startUpload();
    await store.appendUpload(id, Readable.from([Buffer.from('abc')]));
    await store.appendUpload(id, Readable.from([Buffer.from('defg')]));
    expect(await keys(`${prefix}/_uploads/`)).toEqual([
      `${prefix}/_uploads/${id}/chunk-0000000000000000`,
      `${prefix}/_uploads/${id}/chunk-0000000000000003`,
      `${prefix}/_uploads/${id}/started`,
    ]);
    await store.commitUpload(id, sha256('abcdefg'));
    expect(await keys(`${prefix}/_uploads/`)).toEqual([]);
  });

  it('lets chunks of one session alternate between two store instances (replicas), then commit on either', async () => {
    const prefix = `replicas-${randomUUID()}`;
    const a = storeAt(prefix);
    const b = storeAt(prefix);
    const id = await a.startUpload();
    const big = Buffer.alloc(PART_BYTES + 123, 7); // a multipart chunk in the middle
    expect(await b.appendUpload(id, Readable.from([Buffer.from('one ')]), { expectedOffset: 0 })).toBe(4);
    expect(await a.appendUpload(id, Readable.from([big]), { expectedOffset: 4 })).toBe(4 + big.length);
    expect(await b.appendUpload(id, Readable.from([Buffer.from(' three')]), { expectedOffset: 4 + big.length })).toBe(10 + big.length);
    expect((await a.uploadInfo(id))?.size).toBe(10 + big.length);
    const content = Buffer.concat([Buffer.from('one '), big, Buffer.from(' three')]);
    // `a` has no running hash covering b's chunks: it must re-read them all to verify.
    expect(await a.commitUpload(id, sha256(content))).toEqual({ digest: sha256(content), size: content.length });
    const read: Buffer[] = [];
    for await (const piece of await b.open(sha256(content))) read.push(piece as Buffer);
    expect(Buffer.concat(read).equals(content)).toBe(true);
  });

  it('puts a blob larger than one part through a session, leaving no session behind', async () => {
    const prefix = `bigput-${randomUUID()}`;
    const store = storeAt(prefix);
    const content = Buffer.alloc(2 * PART_BYTES + 5, 3);
    const info = await store.put(Readable.from([content.subarray(0, PART_BYTES - 1), content.subarray(PART_BYTES - 1)]), sha256(content));
    expect(info).toEqual({ digest: sha256(content), size: content.length });
    expect(await keys(`${prefix}/_uploads/`)).toEqual([]);
    expect((await store.stat(sha256(content)))?.size).toBe(content.length);
  });

  it('ignores objects it did not write, and treats chunks past a gap as not part of the session', async () => {
    const prefix = `stray-${randomUUID()}`;
    const store = storeAt(prefix);
    const client = s3.client();
    const blob = await store.put(Readable.from([Buffer.from('real')]));
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/sha256/zz/not-a-digest`, Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/_uploads/stray`, Body: 'x' }));
    const id = await store.startUpload();
    await store.appendUpload(id, Readable.from([Buffer.from('abc')]));
    // As an interrupted cancel could leave: a chunk that does not follow on from the others.
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/_uploads/${id}/chunk-0000000000000010`, Body: 'zzz' }));
    const listed = [];
    for await (const info of store.list()) listed.push(info);
    expect(listed).toEqual([blob]);
    expect((await store.uploadInfo(id))?.size).toBe(3);
    expect(await cleanAbandonedUploads(store, 60_000, new Date(Date.now() + 120_000))).toEqual([id]);
    expect(await keys(`${prefix}/_uploads/`)).toEqual([`${prefix}/_uploads/stray`]);
  });

  it('pre-signs download URLs that fetch the blob straight from the store', async () => {
    const store = storeAt(`presign-${randomUUID()}`, true);
    const { digest } = await store.put(Readable.from([Buffer.from('served by the object store')]));
    expect(await storeAt('no-redirect').presignedUrl(digest)).toBeUndefined();
    const url = new URL((await store.presignedUrl(digest)) ?? 'http://missing');
    expect(url.origin).toBe(s3.endpoint);
    expect(url.pathname).toMatch(new RegExp(`^/${s3.bucket}/presign-[^/]+/sha256/[0-9a-f]{2}/[0-9a-f]{64}$`));
    // SigV4 query authentication, signing only the host, valid for 20 minutes. (s3rver does not check V4
    // signatures, so the signature's correctness rests on the SDK's own signer, which produced it.)
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('1200');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('served by the object store');
  });
});
