import { createHash, randomFillSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  DigestMismatchError,
  InvalidDigestError,
  RangeNotSatisfiableError,
  UploadNotFoundError,
  UploadOffsetError,
  type BlobStore,
  type Digest,
} from '../../core/blob-store.js';
import { cleanAbandonedUploads } from './clean-uploads.js';

/**
 * The behaviour every BlobStore must have, as one vitest suite. Each implementation's test file calls
 * `blobStoreContract(name, makeStore)`; the filesystem store runs it today, the S3 store will run it unchanged.
 */

export interface BlobStoreUnderTest {
  store: BlobStore;
  /**
   * A new store instance over the same backing storage, as a restarted server (or another replica) would
   * build. Without it the restart tests are reported as skipped.
   */
  reopen?: () => Promise<BlobStore>;
  /** Removes everything the store wrote. */
  cleanup(): Promise<void>;
}

export interface BlobStoreContractOptions {
  /** Size of the streamed blob in the memory test (default 64 MiB). */
  largeBlobBytes?: number;
  /** How much RSS may grow while it streams in and out (default 50 MiB). */
  maxRssGrowthBytes?: number;
}

const MiB = 1024 * 1024;

export function blobStoreContract(
  name: string,
  makeStore: () => Promise<BlobStoreUnderTest>,
  options: BlobStoreContractOptions = {},
): void {
  const largeBlobBytes = options.largeBlobBytes ?? 64 * MiB;
  const maxRssGrowthBytes = options.maxRssGrowthBytes ?? 50 * MiB;

  describe(`BlobStore contract: ${name}`, () => {
    let subject: BlobStoreUnderTest | undefined;
    let store: BlobStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject?.cleanup();
      subject = undefined;
    });

    describe('blobs', () => {
      it('stores a stream under its sha256 and reads back the exact bytes', async () => {
        const content = Buffer.from('hello blob store');
        const info = await store.put(streamOf(content));
        expect(info).toEqual({ digest: sha256(content), size: content.length });
        expect(await store.stat(info.digest)).toEqual(info);
        expect(await readAll(await store.open(info.digest))).toEqual(content);
      });

      it('stores under an expected sha256 or sha512 digest', async () => {
        const content = Buffer.from('same bytes, two algorithms');
        expect(await store.put(streamOf(content), sha256(content))).toEqual({ digest: sha256(content), size: content.length });
        expect(await store.put(streamOf(content), sha512(content))).toEqual({ digest: sha512(content), size: content.length });
        expect(await readAll(await store.open(sha512(content)))).toEqual(content);
        expect(await readAll(await store.open(sha256(content)))).toEqual(content);
      });

      it('refuses a put whose bytes do not match the expected digest, leaving nothing behind', async () => {
        const claimed = sha256(Buffer.from('what the client said'));
        const sent = Buffer.from('what the client sent');
        await expect(store.put(streamOf(sent), claimed)).rejects.toBeInstanceOf(DigestMismatchError);
        expect(await store.stat(claimed)).toBeUndefined();
        expect(await store.stat(sha256(sent))).toBeUndefined();
        expect(await collect(store.listUploads())).toEqual([]);
      });

      it('stores empty blobs', async () => {
        const info = await store.put(streamOf(Buffer.alloc(0)));
        expect(info).toEqual({ digest: sha256(Buffer.alloc(0)), size: 0 });
        expect(await readAll(await store.open(info.digest))).toEqual(Buffer.alloc(0));
      });

      it('reports missing blobs', async () => {
        const missing = sha256(Buffer.from('never stored'));
        expect(await store.stat(missing)).toBeUndefined();
        await expect(store.open(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
        await expect(store.open(missing, { start: 0, end: 0 })).rejects.toBeInstanceOf(BlobNotFoundError);
      });

      it('deletes blobs, and deleting a missing blob is a no-op', async () => {
        const kept = await store.put(streamOf(Buffer.from('kept')));
        const gone = await store.put(streamOf(Buffer.from('gone')));
        await store.delete(gone.digest);
        expect(await store.stat(gone.digest)).toBeUndefined();
        await expect(store.open(gone.digest)).rejects.toBeInstanceOf(BlobNotFoundError);
        await expect(store.delete(gone.digest)).resolves.toBeUndefined();
        expect(await store.stat(kept.digest)).toEqual(kept);
        expect(await collect(store.list())).toEqual([kept]);
      });

      it('deduplicates: the same bytes stored twice are one blob', async () => {
        const content = Buffer.from('layer shared by two repositories');
        const first = await store.put(streamOf(content));
        const second = await store.put(streamOf('layer shared ', 'by two repositories'));
        expect(second).toEqual(first);
        const viaUpload = await store.startUpload();
        await store.appendUpload(viaUpload, streamOf(content));
        expect(await store.commitUpload(viaUpload, first.digest)).toEqual(first);
        expect(await store.uploadInfo(viaUpload)).toBeUndefined();
        expect(await collect(store.list())).toEqual([first]);
        expect(await collect(store.listUploads())).toEqual([]);
      });

      it('lists every committed blob of both algorithms, and no upload in progress', async () => {
        const a = await store.put(streamOf('alpha'));
        const b = await store.put(streamOf('bravo!'), sha512(Buffer.from('bravo!')));
        const pending = await store.startUpload();
        await store.appendUpload(pending, streamOf('not a blob yet'));
        const listed = await collect(store.list());
        expect(sortByDigest(listed)).toEqual(sortByDigest([a, b]));
      });

      it('reads inclusive byte ranges', async () => {
        const { digest } = await store.put(streamOf('abcdefghij'));
        const read = async (start: number, end: number) => (await readAll(await store.open(digest, { start, end }))).toString();
        expect(await read(0, 0)).toBe('a');
        expect(await read(2, 5)).toBe('cdef');
        expect(await read(9, 9)).toBe('j');
        expect(await read(0, 9)).toBe('abcdefghij');
      });

      it('refuses ranges outside the blob with its size', async () => {
        const { digest } = await store.put(streamOf('abcdefghij'));
        for (const range of [
          { start: 5, end: 4 },
          { start: 0, end: 10 },
          { start: 10, end: 10 },
          { start: -1, end: 2 },
          { start: 1.5, end: 3 },
        ]) {
          const error = await store.open(digest, range).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, JSON.stringify(range)).toBeInstanceOf(RangeNotSatisfiableError);
          expect((error as RangeNotSatisfiableError).size).toBe(10);
        }
        const empty = await store.put(streamOf(Buffer.alloc(0)));
        await expect(store.open(empty.digest, { start: 0, end: 0 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      });
    });

    describe('upload sessions', () => {
      it('starts an empty, listed session with a UUID', async () => {
        const before = Date.now();
        const id = await store.startUpload();
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const info = await store.uploadInfo(id);
        expect(info).toMatchObject({ id, size: 0 });
        // Allow a second either side for stores whose timestamps have one-second resolution.
        expect(info?.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(info?.startedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
        expect((await collect(store.listUploads())).map((u) => u.id)).toEqual([id]);
      });

      it('appends chunks at the right offsets and commits them as one blob', async () => {
        const id = await store.startUpload();
        expect(await store.appendUpload(id, streamOf('hello '), { expectedOffset: 0 })).toBe(6);
        expect(await store.appendUpload(id, streamOf('chunked ', 'world'), { expectedOffset: 6 })).toBe(19);
        expect(await store.appendUpload(id, streamOf('!'))).toBe(20);
        expect((await store.uploadInfo(id))?.size).toBe(20);
        const content = Buffer.from('hello chunked world!');
        expect(await store.commitUpload(id, sha256(content))).toEqual({ digest: sha256(content), size: 20 });
        expect(await readAll(await store.open(sha256(content)))).toEqual(content);
        expect(await store.uploadInfo(id)).toBeUndefined();
        expect(await collect(store.listUploads())).toEqual([]);
      });

      it('refuses an append at the wrong offset without writing any of it', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('abc'));
        for (const expectedOffset of [0, 2, 5]) {
          const error = await store.appendUpload(id, streamOf('XYZ'), { expectedOffset }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(UploadOffsetError);
          expect(error).toMatchObject({ expected: expectedOffset, actual: 3 });
          expect((await store.uploadInfo(id))?.size).toBe(3);
        }
        expect(await store.commitUpload(id, sha256(Buffer.from('abc')))).toEqual({ digest: sha256(Buffer.from('abc')), size: 3 });
      });

      it('lets exactly one of two racing appends at the same offset through', async () => {
        const id = await store.startUpload();
        const results = await Promise.allSettled([
          store.appendUpload(id, streamOf('aaa', 'aaa'), { expectedOffset: 0 }),
          store.appendUpload(id, streamOf('bbb', 'bbb'), { expectedOffset: 0 }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual([6]);
        const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(refused?.reason).toBeInstanceOf(UploadOffsetError);
        expect((await store.uploadInfo(id))?.size).toBe(6);
        const winner = results[0]?.status === 'fulfilled' ? 'aaaaaa' : 'bbbbbb';
        expect((await store.commitUpload(id, sha256(Buffer.from(winner)))).size).toBe(6);
      });

      it('commits with a sha512 digest', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('sha512 '));
        await store.appendUpload(id, streamOf('content'));
        const content = Buffer.from('sha512 content');
        expect(await store.commitUpload(id, sha512(content))).toEqual({ digest: sha512(content), size: content.length });
        expect(await readAll(await store.open(sha512(content)))).toEqual(content);
        expect(await store.stat(sha256(content))).toBeUndefined();
      });

      it('discards the upload when its digest does not match', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('actual bytes'));
        const claimed = sha256(Buffer.from('other bytes'));
        const error = await store.commitUpload(id, claimed).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DigestMismatchError);
        expect(error).toMatchObject({ expected: claimed, actual: sha256(Buffer.from('actual bytes')) });
        expect(await store.uploadInfo(id)).toBeUndefined();
        expect(await store.stat(claimed)).toBeUndefined();
        expect(await store.stat(sha256(Buffer.from('actual bytes')))).toBeUndefined();
        await expect(store.commitUpload(id, sha256(Buffer.from('actual bytes')))).rejects.toBeInstanceOf(UploadNotFoundError);
      });

      it('cancels a session and its bytes', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('to be cancelled'));
        await store.cancelUpload(id);
        expect(await store.uploadInfo(id)).toBeUndefined();
        expect(await collect(store.listUploads())).toEqual([]);
        await expect(store.appendUpload(id, streamOf('more'))).rejects.toBeInstanceOf(UploadNotFoundError);
        await expect(store.commitUpload(id, sha256(Buffer.from('to be cancelled')))).rejects.toBeInstanceOf(UploadNotFoundError);
        await expect(store.cancelUpload(id)).resolves.toBeUndefined();
        expect(await store.stat(sha256(Buffer.from('to be cancelled')))).toBeUndefined();
      });

      it('treats a well-formed id that was never started as unknown', async () => {
        const id = '0b8e3c2a-5f4d-4e6b-9a1c-2d3e4f5a6b7c';
        expect(await store.uploadInfo(id)).toBeUndefined();
        await expect(store.appendUpload(id, streamOf('x'))).rejects.toBeInstanceOf(UploadNotFoundError);
        await expect(store.commitUpload(id, sha256(Buffer.from('x')))).rejects.toBeInstanceOf(UploadNotFoundError);
        await expect(store.cancelUpload(id)).resolves.toBeUndefined();
      });

      it('rolls back an append whose source fails midway', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('abc'));
        const broken = Readable.from(
          (async function* () {
            yield Buffer.from('def');
            yield Buffer.alloc(256 * 1024, 1);
            throw new Error('client went away');
          })(),
        );
        await expect(store.appendUpload(id, broken, { expectedOffset: 3 })).rejects.toThrow('client went away');
        expect((await store.uploadInfo(id))?.size).toBe(3);
        expect(await store.appendUpload(id, streamOf('xyz'), { expectedOffset: 3 })).toBe(6);
        const content = Buffer.from('abcxyz');
        expect(await store.commitUpload(id, sha256(content))).toEqual({ digest: sha256(content), size: 6 });
        expect(await readAll(await store.open(sha256(content)))).toEqual(content);
      });

      it('stops an append when its signal aborts, keeping the session consistent', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('start'));
        const controller = new AbortController();
        // Bounded so that a store ignoring the signal finishes (and fails the assertion) instead of hanging.
        const source = generatedStream(32 * MiB, 64 * 1024, (sent) => {
          if (sent >= MiB) controller.abort();
        });
        const error = await store.appendUpload(id, source.stream, { signal: controller.signal }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((error as Error | undefined)?.name).toBe('AbortError');
        expect(source.sent()).toBeLessThan(32 * MiB);
        expect((await store.uploadInfo(id))?.size).toBe(5);
        await store.appendUpload(id, streamOf('ed'), { expectedOffset: 5 });
        const content = Buffer.from('started');
        expect(await store.commitUpload(id, sha256(content))).toEqual({ digest: sha256(content), size: 7 });
      });

      it('writes nothing when the signal is already aborted', async () => {
        const id = await store.startUpload();
        const controller = new AbortController();
        controller.abort();
        await expect(store.appendUpload(id, streamOf('late'), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
        expect((await store.uploadInfo(id))?.size).toBe(0);
        await expect(store.put(streamOf('late'), undefined, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
        expect(await store.stat(sha256(Buffer.from('late')))).toBeUndefined();
        expect((await collect(store.listUploads())).map((u) => u.id)).toEqual([id]);
      });
    });

    describe('restart', () => {
      it('continues and commits an upload started before a restart', async ({ skip }) => {
        if (!subject?.reopen) return skip('no reopen() given for this store');
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('written before, '), { expectedOffset: 0 });
        const before = await store.uploadInfo(id);
        const restarted = await subject.reopen();
        const after = await restarted.uploadInfo(id);
        expect(after).toEqual(before);
        expect((await collect(restarted.listUploads())).map((u) => u.id)).toEqual([id]);
        await expect(restarted.appendUpload(id, streamOf('x'), { expectedOffset: 0 })).rejects.toBeInstanceOf(UploadOffsetError);
        expect(await restarted.appendUpload(id, streamOf('written after'), { expectedOffset: 16 })).toBe(29);
        const content = Buffer.from('written before, written after');
        expect(await restarted.commitUpload(id, sha256(content))).toEqual({ digest: sha256(content), size: content.length });
        expect(await readAll(await store.open(sha256(content)))).toEqual(content);
      });

      it('commits after a restart an upload that arrived in one piece, with either algorithm', async ({ skip }) => {
        if (!subject?.reopen) return skip('no reopen() given for this store');
        const content = Buffer.from('one piece, then a restart');
        const first = await store.startUpload();
        const second = await store.startUpload();
        await store.appendUpload(first, streamOf(content));
        await store.appendUpload(second, streamOf(content));
        const restarted = await subject.reopen();
        await expect(restarted.commitUpload(first, sha256(Buffer.from('wrong')))).rejects.toBeInstanceOf(DigestMismatchError);
        expect(await restarted.commitUpload(second, sha512(content))).toEqual({ digest: sha512(content), size: content.length });
        expect(await readAll(await restarted.open(sha512(content)))).toEqual(content);
      });
    });

    describe('streaming', () => {
      it(`streams a ${largeBlobBytes / MiB} MiB blob in and out without memory growing with its size`, async () => {
        const memory = retainedMemoryProbe();
        const sampleStep = Math.max(64 * 1024, Math.floor(largeBlobBytes / 8));
        const upload = generatedStream(largeBlobBytes, 256 * 1024, memory.every(sampleStep));
        const id = await store.startUpload();
        // Two appends, so the session's chunked path is exercised at scale too.
        expect(await store.appendUpload(id, upload.stream, { expectedOffset: 0 })).toBe(largeBlobBytes);
        const tail = Buffer.from('tail');
        expect(await store.appendUpload(id, streamOf(tail), { expectedOffset: largeBlobBytes })).toBe(largeBlobBytes + 4);
        const expected = `sha256:${upload.hash.update(tail).digest('hex')}` as Digest;
        expect(await store.commitUpload(id, expected)).toEqual({ digest: expected, size: largeBlobBytes + 4 });

        const download = await store.open(expected);
        const readBack = createHash('sha256');
        const sampleDownload = memory.every(sampleStep);
        let readBytes = 0;
        for await (const chunk of download) {
          readBack.update(chunk as Buffer);
          readBytes += (chunk as Buffer).length;
          sampleDownload(readBytes);
        }
        expect(readBytes).toBe(largeBlobBytes + 4);
        expect(`sha256:${readBack.digest('hex')}`).toBe(expected);

        const ranged = await readAll(await store.open(expected, { start: largeBlobBytes - 2, end: largeBlobBytes + 3 }));
        expect(ranged.subarray(2)).toEqual(tail);
        expect(memory.samples()).toBeGreaterThanOrEqual(14); // the probe really ran, in both directions
        expect(memory.peakGrowth()).toBeLessThan(maxRssGrowthBytes);
      });
    });

    describe('input validation', () => {
      const badDigests = [
        '',
        'sha256',
        `sha256:${'a'.repeat(63)}`,
        `sha256:${'a'.repeat(65)}`,
        `sha256:${'A'.repeat(64)}`,
        `sha512:${'a'.repeat(64)}`,
        `md5:${'a'.repeat(32)}`,
        `sha256:../../../../../../etc/passwd`,
        `sha256:${'a'.repeat(62)}/..`,
        `../sha256/${'a'.repeat(64)}`,
        `/etc/passwd`,
        `sha256:${'a'.repeat(64)}\0`,
      ];

      it('refuses malformed digests in every method', async () => {
        const id = await store.startUpload();
        await store.appendUpload(id, streamOf('kept'));
        for (const bad of badDigests) {
          const digest = bad as Digest;
          await expect(store.stat(digest), bad).rejects.toBeInstanceOf(InvalidDigestError);
          await expect(store.open(digest), bad).rejects.toBeInstanceOf(InvalidDigestError);
          await expect(store.delete(digest), bad).rejects.toBeInstanceOf(InvalidDigestError);
          await expect(store.put(streamOf('x'), digest), bad).rejects.toBeInstanceOf(InvalidDigestError);
          await expect(store.commitUpload(id, digest), bad).rejects.toBeInstanceOf(InvalidDigestError);
        }
        // The malformed commits were the caller's mistake: the session is still there, intact.
        expect((await store.uploadInfo(id))?.size).toBe(4);
        expect((await collect(store.listUploads())).map((u) => u.id)).toEqual([id]);
        expect(await collect(store.list())).toEqual([]);
      });

      it('treats upload ids that are not UUIDs as naming no session', async () => {
        for (const bad of ['', 'not-a-uuid', '../_uploads', '/etc', '..', 'A1B2C3D4-0000-4000-8000-000000000000', '0b8e3c2a-5f4d-4e6b-9a1c-2d3e4f5a6b7c/..']) {
          expect(await store.uploadInfo(bad), bad).toBeUndefined();
          await expect(store.appendUpload(bad, streamOf('x')), bad).rejects.toBeInstanceOf(UploadNotFoundError);
          await expect(store.commitUpload(bad, sha256(Buffer.from('x'))), bad).rejects.toBeInstanceOf(UploadNotFoundError);
          await expect(store.cancelUpload(bad), bad).resolves.toBeUndefined();
        }
        expect(await collect(store.list())).toEqual([]);
      });
    });

    describe('abandoned uploads', () => {
      it('cancels sessions idle for longer than the limit and nothing else', async () => {
        const blob = await store.put(streamOf('committed'));
        const stale = await store.startUpload();
        await store.appendUpload(stale, streamOf('old'));
        // Over a second apart, so stores with one-second timestamps still order them.
        await sleep(1100);
        const fresh = await store.startUpload();
        await store.appendUpload(fresh, streamOf('new'));
        const staleAt = (await store.uploadInfo(stale))?.updatedAt.getTime() ?? Number.NaN;
        const freshAt = (await store.uploadInfo(fresh))?.updatedAt.getTime() ?? Number.NaN;
        expect(staleAt).toBeLessThan(freshAt);

        const now = new Date(freshAt + 60_000);
        const idleLimit = now.getTime() - (staleAt + freshAt) / 2;
        expect(await cleanAbandonedUploads(store, idleLimit, now)).toEqual([stale]);
        expect(await store.uploadInfo(stale)).toBeUndefined();
        expect((await store.uploadInfo(fresh))?.size).toBe(3);

        expect(await cleanAbandonedUploads(store, 60 * 60_000, now)).toEqual([]);
        expect(await cleanAbandonedUploads(store, 60 * 60_000, new Date(freshAt + 2 * 60 * 60_000))).toEqual([fresh]);
        expect(await collect(store.listUploads())).toEqual([]);
        expect(await store.stat(blob.digest)).toEqual(blob);
      });
    });
  });
}

function sha256(content: Buffer): Digest {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

function sha512(content: Buffer): Digest {
  return `sha512:${createHash('sha512').update(content).digest('hex')}`;
}

function streamOf(...chunks: (string | Buffer)[]): Readable {
  return Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function sortByDigest<T extends { digest: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.digest.localeCompare(b.digest));
}

/**
 * Measures what a test retains, not what the garbage collector has yet to reclaim: every sample runs a full
 * GC first. Without it, the fresh buffers of any stream pile up as garbage (V8 collects on external-memory
 * pressure only after tens of MiB), and a flat-memory store could not be told from one that buffers.
 */
function retainedMemoryProbe() {
  const collectGarbage = exposedGc();
  const rss = () => {
    collectGarbage();
    return process.memoryUsage().rss;
  };
  const baseline = rss();
  let peak = baseline;
  let count = 0;
  const sample = () => {
    peak = Math.max(peak, rss());
    count += 1;
  };
  return {
    /** A callback for progress in bytes that samples each time another `step` bytes have passed. */
    every(step: number): (progress: number) => void {
      let next = step;
      return (progress) => {
        if (progress < next) return;
        next = (Math.floor(progress / step) + 1) * step;
        sample();
      };
    },
    samples: () => count,
    peakGrowth: () => peak - baseline,
  };
}

function exposedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  // Test workers start without --expose-gc. Turning the flag on at run time and taking `gc` from a new
  // context is a common test-only trick (Node does not promise flags changed after start-up take effect;
  // if it ever stops working this throws, rather than letting the test pass unmeasured).
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * `total` random bytes produced on demand in fresh `chunkSize` buffers (as an HTTP body arrives), hashed as
 * they are produced. Only what the consumer pulls is ever generated, so a store that honours backpressure
 * keeps memory flat; `onChunk` runs after each chunk with the bytes sent so far.
 */
function generatedStream(total: number, chunkSize: number, onChunk: (sent: number) => void) {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(chunkSize, total - sent)));
      hash.update(chunk);
      sent += chunk.length;
      this.push(chunk);
      onChunk(sent);
    },
  });
  return { stream, hash, sent: () => sent };
}
