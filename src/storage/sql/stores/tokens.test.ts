import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, TEST_ENGINE } from '../../../../test/helpers/database.js';
import type { SqlMetadataStore } from '../metadata-store.js';

describe(`token usage recorded by several processes on ${TEST_ENGINE}`, () => {
  let store: SqlMetadataStore;
  let close: () => Promise<void>;
  const tokenId = randomUUID();

  beforeAll(async () => {
    ({ store, close } = await openTestStore());
    const userId = randomUUID();
    await store.users.insert({ id: userId, username: 'owner', email: 'owner@example.com', name: null, role: 'admin', status: 'active', passwordHash: null, createdAt: new Date(), lastLoginAt: null });
    await store.tokens.insert({
      id: tokenId,
      name: 'shared',
      username: 'shared-1',
      permission: 'read-only',
      createdBy: userId,
      createdAt: new Date(),
      expiresAt: null,
      revokedAt: null,
      revokedBy: null,
      environmentId: null,
      secretHash: 'a'.repeat(64),
      lastUsedAt: null,
      lastUsedIp: null,
      lastUsedClient: null,
      useCount: 0,
    });
  });
  afterAll(() => close?.());

  it('adds every batch to the count and keeps the latest use, whatever order the batches land in', async () => {
    const later = new Date(Date.UTC(2026, 0, 1, 12, 0, 5));
    const earlier = new Date(Date.UTC(2026, 0, 1, 12, 0, 1));
    await store.tokens.recordUsage([{ tokenId, at: later, ip: '10.0.0.2', client: 'worker-b', count: 3 }]);
    // A batch flushed late by another worker, about older requests.
    await store.tokens.recordUsage([{ tokenId, at: earlier, ip: '10.0.0.1', client: 'worker-a', count: 2 }]);
    const token = await store.tokens.byId(tokenId);
    expect(token).toMatchObject({ useCount: 5, lastUsedAt: later, lastUsedIp: '10.0.0.2', lastUsedClient: 'worker-b' });
  });
});
