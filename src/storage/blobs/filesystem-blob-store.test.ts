import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Digest } from '../../core/blob-store.js';
import { blobStoreContract } from './blob-store.contract.js';
import { cleanAbandonedUploads } from './clean-uploads.js';
import { FilesystemBlobStore } from './filesystem-blob-store.js';

blobStoreContract('filesystem', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'fly-blobs-'));
  return {
    store: new FilesystemBlobStore(root),
    reopen: async () => new FilesystemBlobStore(root),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

function sha256(content: string): Digest {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** What only the filesystem store can show: where files land, and that nothing escapes the root. */
describe('FilesystemBlobStore on disk', () => {
  let dir: string;
  let root: string;
  let store: FilesystemBlobStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fly-blobs-disk-'));
    root = path.join(dir, 'blobs');
    store = new FilesystemBlobStore(root);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lays blobs out by algorithm and hex prefix, and leaves no upload behind after commit', async () => {
    const digest = sha256('on disk');
    await store.put(Readable.from([Buffer.from('on disk')]));
    const hex = digest.slice('sha256:'.length);
    expect(await readFile(path.join(root, 'sha256', hex.slice(0, 2), hex), 'utf8')).toBe('on disk');
    expect(await readdir(path.join(root, '_uploads'))).toEqual([]);
  });

  it('keeps upload bytes in a per-session directory', async () => {
    const id = await store.startUpload();
    await store.appendUpload(id, Readable.from([Buffer.from('partial')]));
    expect(await readFile(path.join(root, '_uploads', id, 'data'), 'utf8')).toBe('partial');
  });

  it('never touches a path outside the root, whatever the digest or upload id', async () => {
    const victim = path.join(dir, 'victim');
    await writeFile(victim, 'precious');
    await mkdir(path.join(root, '_uploads'), { recursive: true });
    await expect(store.delete('sha256:../../victim' as Digest)).rejects.toThrow();
    await expect(store.delete(`sha256:${'a'.repeat(62)}/../../../victim` as Digest)).rejects.toThrow();
    await store.cancelUpload('../../victim');
    await store.cancelUpload('..');
    await store.cancelUpload(victim);
    await expect(store.appendUpload('../../victim', Readable.from([Buffer.from('overwrite')]))).rejects.toThrow();
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['victim', 'blobs']));
  });

  it('re-hashes at commit when the file grew behind its back (another process appended)', async () => {
    const id = await store.startUpload();
    await store.appendUpload(id, Readable.from([Buffer.from('mine, ')]));
    // As if a second replica sharing the directory appended a chunk: this process's running hash is stale.
    await appendFile(path.join(root, '_uploads', id, 'data'), 'theirs');
    expect((await store.uploadInfo(id))?.size).toBe(12);
    expect(await store.commitUpload(id, sha256('mine, theirs'))).toEqual({ digest: sha256('mine, theirs'), size: 12 });
  });

  it('ignores stray files when listing, and treats a half-created session as empty and abandoned', async () => {
    const blob = await store.put(Readable.from([Buffer.from('real')]));
    await mkdir(path.join(root, 'sha256', 'zz'), { recursive: true });
    await writeFile(path.join(root, 'sha256', 'zz', 'not-a-digest'), 'x');
    await writeFile(path.join(root, 'sha256', 'stray'), 'x');
    await writeFile(path.join(root, '_uploads', 'stray'), 'x');
    const crashed = '0b8e3c2a-5f4d-4e6b-9a1c-2d3e4f5a6b7c';
    await mkdir(path.join(root, '_uploads', crashed));
    const listed = [];
    for await (const info of store.list()) listed.push(info);
    expect(listed).toEqual([blob]);
    expect(await store.uploadInfo(crashed)).toMatchObject({ id: crashed, size: 0 });
    expect(await cleanAbandonedUploads(store, 60_000, new Date(Date.now() + 120_000))).toEqual([crashed]);
    expect(await readdir(path.join(root, '_uploads'))).toEqual(['stray']);
  });
});
