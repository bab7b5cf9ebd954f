import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, login, type ApiClient } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Two admins demoting each other at the same moment must never leave the registry without an admin. */
describe('the last active admin, under concurrent demotions', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  const idOf = async (client: ApiClient) => (await client.get<{ user: { id: string } }>('/api/v1/whoami')).body.user.id;
  const activeAdmins = async (client: ApiClient) =>
    (await client.get<{ users: { role: string; status: string }[] }>('/api/v1/users')).body.users.filter((u) => u.role === 'admin' && u.status === 'active').length;

  it('one of two crossed demotions is refused, every round', async () => {
    let admin = await login(server);
    for (let round = 0; round < 6; round++) {
      const other = await createUser(admin, `second-admin-${round}`, 'admin');
      const [adminId, otherId] = await Promise.all([idOf(admin), idOf(other)]);
      const change = round % 2 === 0 ? { role: 'developer' } : { status: 'deactivated' };
      const [a, b] = await Promise.all([admin.patch(`/api/v1/users/${otherId}`, change), other.patch(`/api/v1/users/${adminId}`, change)]);
      const statuses = [a.status, b.status].sort();
      // Both may be refused only if one saw the other's answer first; never both accepted.
      expect(statuses, JSON.stringify([a.body, b.body])).not.toEqual([200, 200]);
      const survivor = a.status === 200 ? admin : other;
      expect(await activeAdmins(survivor)).toBe(1);
      admin = survivor;
    }
  });
});
