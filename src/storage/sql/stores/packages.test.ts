import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, TEST_ENGINE } from '../../../../test/helpers/database.js';
import { isAppError } from '../../../core/errors.js';
import type { SqlMetadataStore } from '../metadata-store.js';

const digest = (c: string) => `sha256:${c.repeat(64)}` as const;

describe(`package store on ${TEST_ENGINE}`, () => {
  let store: SqlMetadataStore;
  let close: () => Promise<void>;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    ({ store, close } = await openTestStore());
  });
  afterAll(() => close?.());

  it('stores packages, versions, files and tags and loads them back in one call', async () => {
    const pkg = await store.packages.ensure('npm', '@team/lib', '@team/lib', now);
    expect(await store.packages.ensure('npm', '@team/lib', '@team/lib', now)).toEqual(pkg);
    const v1 = await store.packages.insertVersion(pkg.id, '1.0.0', '{"name":"@team/lib", "version":"1.0.0"}', now);
    await store.packages.insertFile(pkg.id, v1.id, { filename: 'lib-1.0.0.tgz', blobDigest: digest('a'), size: 10, metadata: '{}' }, now);
    await store.packages.setTag(pkg.id, 'latest', '1.0.0');
    const loaded = await store.packages.load('npm', '@team/lib');
    expect(loaded?.versions.map((v) => v.metadata)).toEqual(['{"name":"@team/lib", "version":"1.0.0"}']);
    expect(loaded?.files.map((f) => [f.filename, f.blobDigest, f.size])).toEqual([['lib-1.0.0.tgz', digest('a'), 10]]);
    expect(loaded?.tags).toEqual([{ packageId: pkg.id, tag: 'latest', version: '1.0.0' }]);
    expect((await store.packages.file('npm', '@team/lib', 'lib-1.0.0.tgz'))?.versionId).toBe(v1.id);
    expect(await store.packages.load('pypi', '@team/lib')).toBeUndefined();
  });

  it('refuses a duplicate version or filename with a conflict, inside a transaction that then lands nothing', async () => {
    const pkg = await store.packages.ensure('pypi', 'dup', 'Dup', now);
    const v = await store.packages.insertVersion(pkg.id, '1.0', '{}', now);
    await store.packages.insertFile(pkg.id, v.id, { filename: 'dup-1.0.tar.gz', blobDigest: digest('b'), size: 1, metadata: '{}' }, now);
    const attempt = store.transaction(async (tx) => {
      await tx.packages.setPackageMetadata(pkg.id, '{"changed":true}', now);
      await tx.packages.insertVersion(pkg.id, '1.0', '{}', now);
    });
    await expect(attempt).rejects.toSatisfy((e) => isAppError(e) && e.code === 'conflict');
    expect((await store.packages.get('pypi', 'dup'))?.metadata).toBe('{}');
    await expect(
      store.packages.insertFile(pkg.id, v.id, { filename: 'dup-1.0.tar.gz', blobDigest: digest('c'), size: 1, metadata: '{}' }, now),
    ).rejects.toSatisfy((e) => isAppError(e) && e.code === 'conflict');
  });

  it('deletes versions with their files and tags, searches by name, and reports referenced blobs', async () => {
    const pkg = await store.packages.ensure('npm', 'search_me', 'search_me', now);
    const v = await store.packages.insertVersion(pkg.id, '2.0.0', '{}', now);
    await store.packages.insertFile(pkg.id, v.id, { filename: 'search_me-2.0.0.tgz', blobDigest: digest('d'), size: 5, metadata: '{}' }, now);
    await store.packages.setTag(pkg.id, 'next', '2.0.0');
    expect((await store.packages.search('npm', { text: 'h_m', limit: 10, offset: 0 })).map((p) => p.name)).toEqual(['search_me']);
    expect((await store.packages.search('npm', { text: 'hxm', limit: 10, offset: 0 })).map((p) => p.name)).toEqual([]);
    expect(await store.packages.referencedBlobs()).toContain(digest('d'));
    await store.packages.deleteVersion(v.id);
    expect(await store.packages.version(pkg.id, '2.0.0')).toBeUndefined();
    expect(await store.packages.tags(pkg.id)).toEqual([]);
    expect(await store.packages.referencedBlobs()).not.toContain(digest('d'));
    await store.packages.delete(pkg.id);
    expect(await store.packages.get('npm', 'search_me')).toBeUndefined();
  });
});
