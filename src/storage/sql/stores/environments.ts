import type { Kysely, Selectable } from 'kysely';
import type { Environment } from '../../../core/environments/model.js';
import type { EnvironmentStore } from '../../../core/environments/ports.js';
import { Errors } from '../../../core/errors.js';
import { toDate } from '../rows.js';
import type { Database, EnvironmentsTable } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';

const toEnvironment = (r: Selectable<EnvironmentsTable>): Environment => ({
  id: r.id,
  name: r.name,
  description: r.description,
  color: r.color,
  createdBy: r.created_by,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

export class SqlEnvironmentStore implements EnvironmentStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(e: Environment): Promise<void> {
    try {
      await this.db
        .insertInto('environments')
        .values({
          id: e.id,
          name: e.name,
          description: e.description,
          color: e.color,
          created_by: e.createdBy,
          created_at: e.createdAt.getTime(),
          updated_at: e.updatedAt.getTime(),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw Errors.conflict(`Environment ${JSON.stringify(e.name)} already exists`);
      throw error;
    }
  }

  async byName(name: string): Promise<Environment | undefined> {
    const row = await this.db.selectFrom('environments').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toEnvironment(row);
  }

  async list(): Promise<Environment[]> {
    const rows = await this.db.selectFrom('environments').selectAll().orderBy('name').execute();
    return rows.map(toEnvironment);
  }

  async update(id: string, patch: Partial<Pick<Environment, 'description' | 'color'>> & { updatedAt: Date }): Promise<void> {
    await this.db
      .updateTable('environments')
      .set({
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.color !== undefined ? { color: patch.color } : {}),
        updated_at: patch.updatedAt.getTime(),
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('pull_events').where('environment_id', '=', id).execute();
    await this.db.deleteFrom('deployments').where('environment_id', '=', id).execute();
    await this.db.deleteFrom('environments').where('id', '=', id).execute();
  }
}
