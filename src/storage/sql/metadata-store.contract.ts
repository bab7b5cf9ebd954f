import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../core/blob-store.js';
import { isAppError } from '../../core/errors.js';
import type { Token, User } from '../../core/model.js';
import type { MetadataStore } from '../../core/ports.js';

/**
 * The behaviour every MetadataStore must have, as one vitest suite (like the blob stores'
 * blob-store.contract.ts). metadata-store.contract.test.ts runs it on the test engine, and `npm test` runs
 * the whole suite on SQLite and on PostgreSQL. Each case works on rows of its own, so cases do not depend
 * on one another.
 */
export function metadataStoreContract(name: string, open: () => Promise<{ store: MetadataStore; close: () => Promise<void> }>): void {
  describe(`metadata store contract: ${name}`, () => {
    let store: MetadataStore;
    let close: () => Promise<void>;
    const t0 = new Date('2026-03-01T10:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    const digest = (c: string) => `sha256:${c.repeat(64)}` as Digest;
    const conflict = (e: unknown) => isAppError(e) && e.code === 'conflict';

    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(() => close?.());

    const newUser = async (role: User['role'] = 'developer', status: User['status'] = 'active'): Promise<User> => {
      const id = randomUUID();
      const user: User = { id, username: `u-${id.slice(0, 8)}`, email: `${id}@example.com`, name: null, role, status, passwordHash: null, createdAt: t0, lastLoginAt: null };
      await store.users.insert(user);
      return user;
    };
    const newToken = async (creator: User, fields: Partial<Token> = {}): Promise<Token> => {
      const id = randomUUID();
      const token: Token = {
        id,
        name: 'ci',
        username: `t-${id.slice(0, 8)}`,
        permission: 'read-only',
        createdBy: creator.id,
        createdAt: t0,
        expiresAt: null,
        revokedAt: null,
        revokedBy: null,
        environmentId: null,
        secretHash: `hash-${id}`,
        lastUsedAt: null,
        lastUsedIp: null,
        lastUsedClient: null,
        useCount: 0,
        scope: null,
        ...fields,
      };
      await store.tokens.insert(token);
      return token;
    };

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('users: insert, look up by id and username, update, count active admins; a duplicate username is refused', async () => {
      const admins = await store.users.countActiveAdmins();
      const user = await newUser('admin');
      expect(await store.users.byId(user.id)).toEqual(user);
      expect(await store.users.byUsername(user.username)).toEqual(user);
      expect(await store.users.countActiveAdmins()).toBe(admins + 1);
      await store.users.update(user.id, { status: 'deactivated', lastLoginAt: at(5) });
      expect(await store.users.byId(user.id)).toMatchObject({ status: 'deactivated', lastLoginAt: at(5) });
      expect(await store.users.countActiveAdmins()).toBe(admins);
      // Usernames are unique (the services check first; the database is the last word).
      await expect(store.users.insert({ ...user, id: randomUUID(), email: 'other@example.com' })).rejects.toThrow();
      expect((await store.users.list()).some((u) => u.id === user.id)).toBe(true);
    });

    it('sessions: found by hash until revoked; revoking all of a user’s sessions', async () => {
      const user = await newUser();
      const session = { id: randomUUID(), userId: user.id, secretHash: `s-${randomUUID()}`, createdAt: t0, expiresAt: at(3600), revokedAt: null };
      await store.sessions.insert(session);
      expect(await store.sessions.byHash(session.secretHash)).toEqual(session);
      await store.sessions.revoke(session.id, at(10));
      expect((await store.sessions.byHash(session.secretHash))?.revokedAt).toEqual(at(10));
      const other = { ...session, id: randomUUID(), secretHash: `s-${randomUUID()}` };
      await store.sessions.insert(other);
      await store.sessions.revokeAllForUser(user.id, at(20));
      expect((await store.sessions.byHash(other.secretHash))?.revokedAt).toEqual(at(20));
    });

    it('invitations are accepted once', async () => {
      const user = await newUser('developer', 'invited');
      const invitation = { id: randomUUID(), userId: user.id, secretHash: `i-${randomUUID()}`, createdBy: user.id, createdAt: t0, expiresAt: at(60), acceptedAt: null };
      await store.invitations.insert(invitation);
      expect(await store.invitations.byHash(invitation.secretHash)).toEqual(invitation);
      expect(await store.invitations.markAccepted(invitation.id, at(1))).toBe(true);
      expect(await store.invitations.markAccepted(invitation.id, at(2))).toBe(false);
      expect((await store.invitations.byHash(invitation.secretHash))?.acceptedAt).toEqual(at(1));
    });

    it('token secrets: a new token has its secret row; rotation swaps the current secret once, retiring the old; usage per secret', async () => {
      const token = await newToken(await newUser(), { expiresAt: at(86_400) });
      expect(await store.tokenSecrets.byHash(token.secretHash)).toEqual({
        secretHash: token.secretHash,
        tokenId: token.id,
        createdAt: t0,
        retiresAt: null,
        lastUsedAt: null,
        useCount: 0,
      });
      const rotation = { tokenId: token.id, previousHash: token.secretHash, previousCreatedAt: t0, newHash: `new-${token.id}`, at: at(60), retiresAt: at(120), expiresAt: at(86_460) };
      expect(await store.tokenSecrets.rotate(rotation)).toBe(true);
      // The same rotation again finds the current secret changed: refused, nothing written.
      expect(await store.tokenSecrets.rotate({ ...rotation, newHash: `other-${token.id}` })).toBe(false);
      expect(await store.tokenSecrets.byHash(`other-${token.id}`)).toBeUndefined();
      expect(await store.tokens.byId(token.id)).toMatchObject({ secretHash: `new-${token.id}`, expiresAt: at(86_460) });
      expect(await store.tokens.byHash(token.secretHash)).toBeUndefined();
      expect(await store.tokenSecrets.byHash(token.secretHash)).toMatchObject({ tokenId: token.id, retiresAt: at(120) });
      const listed = await store.tokenSecrets.listFor([token.id]);
      expect(listed.map((x) => [x.secretHash, x.retiresAt])).toEqual([
        [`new-${token.id}`, null],
        [token.secretHash, at(120)],
      ]);
      // Once retired, a secret is left out of the live ones.
      expect((await store.tokenSecrets.listFor([token.id], at(119))).length).toBe(2);
      expect((await store.tokenSecrets.listFor([token.id], at(120))).map((x) => x.secretHash)).toEqual([`new-${token.id}`]);
      // Latest use wins whatever the order; counts add up; an unknown hash is skipped.
      await store.tokenSecrets.recordUsage([
        { secretHash: token.secretHash, at: at(90), count: 2 },
        { secretHash: 'no-such-secret', at: at(90), count: 1 },
      ]);
      await store.tokenSecrets.recordUsage([{ secretHash: token.secretHash, at: at(70), count: 1 }]);
      expect(await store.tokenSecrets.byHash(token.secretHash)).toMatchObject({ lastUsedAt: at(90), useCount: 3 });
      // A revoked token cannot be rotated; deleting a token deletes its secrets.
      await store.tokens.revoke(token.id, at(200), 'admin');
      expect(await store.tokenSecrets.rotate({ ...rotation, previousHash: `new-${token.id}`, newHash: `late-${token.id}` })).toBe(false);
      await store.tokens.delete(token.id);
      expect(await store.tokenSecrets.listFor([token.id])).toEqual([]);
    });

    it('tokens: looked up by hash with their creator; revoked once and for good; usage adds up; deleted', async () => {
      const creator = await newUser('admin');
      const token = await newToken(creator, { permission: 'read-write', expiresAt: at(86400) });
      expect(await store.tokens.byHash(token.secretHash)).toEqual({
        ...token,
        creatorUsername: creator.username,
        creatorStatus: 'active',
        creatorRole: 'admin',
        environmentName: null,
      });
      expect(await store.tokens.usernameTaken(token.username)).toBe(true);
      expect(await store.tokens.usernameTaken(`${token.username}-x`)).toBe(false);
      expect((await store.tokens.list({ createdBy: creator.id })).map((t) => t.id)).toEqual([token.id]);
      // A fine-grained scope is stored with the token and read back as written.
      const scope = [{ protocol: 'oci', resource: 'team/*', actions: ['pull' as const] }];
      const scoped = await newToken(creator, { scope });
      expect((await store.tokens.byId(scoped.id))?.scope).toEqual(scope);
      await expect(newToken(creator, { username: token.username })).rejects.toThrow();

      await store.tokens.recordUsage([
        { tokenId: token.id, at: at(1), ip: '10.0.0.1', client: 'npm/10', count: 2 },
        { tokenId: token.id, at: at(2), ip: '10.0.0.2', client: 'pip/24', count: 3 },
      ]);
      expect(await store.tokens.byId(token.id)).toMatchObject({ useCount: 5, lastUsedAt: at(2), lastUsedIp: '10.0.0.2', lastUsedClient: 'pip/24' });

      expect(await store.tokens.revoke(token.id, at(3), creator.username)).toBe(true);
      expect(await store.tokens.revoke(token.id, at(4), 'someone-else')).toBe(false);
      expect(await store.tokens.byId(token.id)).toMatchObject({ revokedAt: at(3), revokedBy: creator.username });
      await store.tokens.delete(token.id);
      expect(await store.tokens.byHash(token.secretHash)).toBeUndefined();
    });

    it('audit events are listed newest first, a page at a time', async () => {
      const before = (await store.audit.list({ limit: 1 }))[0]?.id;
      const tag = randomUUID();
      for (let i = 0; i < 3; i++) {
        await store.audit.append({ at: at(i), actor: 'admin', action: 'login.succeeded', targetType: 'user', targetId: tag, targetName: `n${i}`, ip: null, details: { i } });
      }
      const first = (await store.audit.list({ limit: 2 })).filter((e) => e.targetId === tag);
      expect(first.map((e) => e.targetName)).toEqual(['n2', 'n1']);
      const next = await store.audit.list({ limit: 1, before: first[1]?.id });
      expect(next[0]).toMatchObject({ targetName: 'n0', details: { i: 0 } });
      if (before !== undefined) expect(next[0]?.id).toBeGreaterThan(before);
    });

    it('a transaction lands all of its writes, or none of them when it throws', async () => {
      const creator = await newUser();
      const kept = randomUUID();
      await store.transaction(async (tx) => {
        await tx.users.update(creator.id, { name: kept });
        await tx.audit.append({ at: t0, actor: 'x', action: 'logout', targetType: 'user', targetId: creator.id, targetName: null, ip: null, details: {} });
      });
      expect((await store.users.byId(creator.id))?.name).toBe(kept);
      await expect(
        store.transaction(async (tx) => {
          await tx.users.update(creator.id, { name: 'lost' });
          await tx.packages.ensure('npm', `tx-${kept}`, `tx-${kept}`, t0);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect((await store.users.byId(creator.id))?.name).toBe(kept);
      expect(await store.packages.get('npm', `tx-${kept}`)).toBeUndefined();
    });

    it('packages keep a file’s other blobs referenced while the file exists', async () => {
      const pkg = await store.packages.ensure('pypi', `pkg-${randomUUID()}`, 'Pkg', t0);
      const version = await store.packages.insertVersion(pkg.id, '1.0', '{}', t0);
      const file = await store.packages.insertFile(pkg.id, version.id, { filename: 'p-1.0-py3-none-any.whl', blobDigest: digest('1'), size: 3, metadata: '{}', otherBlobs: [digest('2')] }, t0);
      expect(file).not.toHaveProperty('otherBlobs');
      const referenced = await store.packages.referencedBlobs();
      expect(referenced.has(digest('1')) && referenced.has(digest('2'))).toBe(true);
      await store.packages.deleteVersion(version.id);
      const after = await store.packages.referencedBlobs();
      expect(after.has(digest('1')) || after.has(digest('2'))).toBe(false);
    });

    it('blob bookkeeping: only rows untouched since the cutoff and referenced by nothing are collectable, and deleted once', async () => {
      const [free, packaged, other, untracked] = [digest('a'), digest('b'), digest('c'), digest('d')];
      for (const d of [free, packaged, other]) await store.oci.touchBlob(d, at(0));
      const pkg = await store.packages.ensure('npm', `gc-${randomUUID()}`, 'gc', t0);
      const version = await store.packages.insertVersion(pkg.id, '1.0.0', '{}', t0);
      await store.packages.insertFile(pkg.id, version.id, { filename: 'gc-1.0.0.tgz', blobDigest: packaged, size: 1, metadata: '{}', otherBlobs: [other] }, t0);

      const candidates = async (before: Date) => (await store.oci.collectableBlobs(before, undefined, 1000)).filter((d) => [free, packaged, other, untracked].includes(d));
      expect(await candidates(at(0))).toEqual([]);
      expect(await candidates(at(1))).toEqual([free]);
      await store.oci.touchBlob(free, at(5));
      expect(await store.oci.deleteBlobIfCollectable(free, at(1))).toBe(false);
      expect(await store.oci.deleteBlobIfCollectable(packaged, at(10))).toBe(false);
      expect(await store.oci.deleteBlobIfCollectable(free, at(10))).toBe(true);
      expect(await store.oci.deleteBlobIfCollectable(free, at(10))).toBe(false);

      expect(await store.oci.untrackedBlobs([packaged, untracked])).toEqual([untracked]);
      await store.oci.adoptBlobs([packaged, untracked], at(20));
      expect(await store.oci.untrackedBlobs([packaged, untracked])).toEqual([]);
      expect(await candidates(at(20))).toEqual([]);
      expect(await candidates(at(21))).toEqual([untracked]);
    });

    it('releases round-trip their image and package artifacts; a name and version is recorded once', async () => {
      const name = `rel-${randomUUID().slice(0, 8)}`;
      const release = {
        name,
        version: '1.0.0',
        artifacts: [
          { type: 'oci', repository: 'shop/api', digest: digest('e') },
          { type: 'npm', name: '@shop/web', version: '2.0.0' },
        ],
        source: { commit: 'abc', branch: null, pr: null, author: null, url: null },
        notes: null,
        createdAt: t0,
        createdBy: 'admin',
        createdByTokenId: null,
        automatic: false,
      };
      const id = await store.releases.insert(release);
      expect(await store.releases.byId(id)).toEqual({ id, ...release });
      await expect(store.releases.insert(release)).rejects.toSatisfy(conflict);
      expect((await store.releases.search({ name, limit: 10 })).map((r) => r.id)).toEqual([id]);
      expect((await store.releases.search({ digest: digest('e'), limit: 10 })).map((r) => r.id)).toContain(id);
    });
  });
}
