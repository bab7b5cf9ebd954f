import { sql, type Kysely, type Selectable } from 'kysely';
import type { ShareLink, ShareLinkStore } from '../../../core/share-links/model.js';
import { toDate, toDateOrNull } from '../rows.js';
import type { Database, ShareLinksTable } from '../schema.js';

const toLink = (r: Selectable<ShareLinksTable>): ShareLink => ({
  id: r.id,
  secretHash: r.secret_hash,
  name: r.package_name,
  version: r.version,
  file: r.file,
  note: r.note,
  createdBy: r.created_by,
  createdByUserId: r.created_by_user_id,
  createdAt: toDate(r.created_at),
  expiresAt: toDate(r.expires_at),
  maxDownloads: r.max_downloads === null ? null : Number(r.max_downloads),
  downloadCount: Number(r.download_count),
  lastDownloadAt: toDateOrNull(r.last_download_at),
  revokedAt: toDateOrNull(r.revoked_at),
  revokedBy: r.revoked_by,
});

export class SqlShareLinkStore implements ShareLinkStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(l: ShareLink): Promise<void> {
    await this.db
      .insertInto('share_links')
      .values({
        id: l.id,
        secret_hash: l.secretHash,
        package_name: l.name,
        version: l.version,
        file: l.file,
        note: l.note,
        created_by: l.createdBy,
        created_by_user_id: l.createdByUserId,
        created_at: l.createdAt.getTime(),
        expires_at: l.expiresAt.getTime(),
        max_downloads: l.maxDownloads,
        download_count: 0,
        last_download_at: null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
  }

  async byHash(secretHash: string): Promise<ShareLink | undefined> {
    const row = await this.db.selectFrom('share_links').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row && toLink(row);
  }

  async byId(id: string): Promise<ShareLink | undefined> {
    const row = await this.db.selectFrom('share_links').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toLink(row);
  }

  async list(limit: number): Promise<ShareLink[]> {
    const rows = await this.db.selectFrom('share_links').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(toLink);
  }

  async countDownload(id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('share_links')
      .set({ download_count: sql`download_count + 1`, last_download_at: at.getTime() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at.getTime())
      .where((eb) => eb.or([eb('max_downloads', 'is', null), eb('download_count', '<', eb.ref('max_downloads'))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revoke(id: string, at: Date, by: string): Promise<boolean> {
    const result = await this.db
      .updateTable('share_links')
      .set({ revoked_at: at.getTime(), revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
