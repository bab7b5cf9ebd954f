import type { Kysely, Selectable } from 'kysely';
import type { Role, User, UserStatus } from '../../../core/model.js';
import type { UserStore } from '../../../core/ports.js';
import { toDate, toDateOrNull, toMsOrNull } from '../rows.js';
import type { SqlEngine } from '../database.js';
import type { Database, UsersTable } from '../schema.js';

const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  username: row.username,
  email: row.email,
  name: row.name,
  role: row.role as Role,
  status: row.status as UserStatus,
  passwordHash: row.password_hash,
  createdAt: toDate(row.created_at),
  lastLoginAt: toDateOrNull(row.last_login_at),
});

export class SqlUserStore implements UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  async insert(user: User): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        username: user.username,
        email: user.email,
        name: user.name,
        role: user.role,
        status: user.status,
        password_hash: user.passwordHash,
        created_at: user.createdAt.getTime(),
        last_login_at: toMsOrNull(user.lastLoginAt),
      })
      .execute();
  }

  async byId(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async byUsername(username: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Inside a transaction, the active admins are locked until it ends: of two transactions demoting each
   * other's admin at once, the second waits for the first and then counts what it left (PostgreSQL re-checks
   * locked rows against the WHERE clause). SQLite runs one write transaction at a time already.
   */
  async countActiveAdmins(): Promise<number> {
    const query = this.db.selectFrom('users').select('id').where('role', '=', 'admin').where('status', '=', 'active');
    const rows = await (this.engine === 'postgres' ? query.forUpdate() : query).execute();
    return rows.length;
  }

  async update(id: string, patch: Partial<Pick<User, 'role' | 'status' | 'passwordHash' | 'lastLoginAt' | 'email' | 'name'>>) {
    const values: Partial<UsersTable> = {};
    if (patch.role !== undefined) values.role = patch.role;
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
    if (patch.lastLoginAt !== undefined) values.last_login_at = toMsOrNull(patch.lastLoginAt);
    if (patch.email !== undefined) values.email = patch.email;
    if (patch.name !== undefined) values.name = patch.name;
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('users').set(values).where('id', '=', id).execute();
  }

  async deleteInvited(id: string): Promise<boolean> {
    // Its invitations go first: they are the only rows an account that never logged in is referenced by.
    await this.db
      .deleteFrom('invitations')
      .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('id', '=', id).where('status', '=', 'invited'))
      .execute();
    const result = await this.db.deleteFrom('users').where('id', '=', id).where('status', '=', 'invited').executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
