import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { GenericFiles } from '../generic/generic-files.js';
import type { Download } from '../hosted-files/hosted-packages.js';
import type { MetadataStore } from '../ports.js';
import { generateSecret, hashSecret, isWellFormedSecret } from '../tokens/secret.js';
import { withSlash } from '../users/user-service.js';
import { displayText, parseInput } from '../validation.js';
import { shareLinkStatus, type ShareLink } from './model.js';

const DAY_MS = 86_400_000;
/** A link lives a week unless its creator says otherwise, and at most a year: it needs no account, so it must end. */
export const DEFAULT_SHARE_DAYS = 7;
const MAX_SHARE_DAYS = 365;
/** The dashboard's list: the newest links (older ones are mostly ended). */
const LISTED = 500;

export const createShareLinkInput = z.strictObject({
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(128),
  /** One file of the version; left out, the link shares every file of it. */
  file: z.string().min(1).max(255).optional(),
  expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' }).optional(),
  maxDownloads: z.number().int().min(1).max(1_000_000).optional(),
  note: displayText(200).optional(),
});

/** A link as its creator gets it: the only time the secret (and so the URL) exists outside the recipient's hands. */
export interface CreatedShareLink {
  link: ShareLink;
  secret: string;
  /** The link to hand over: `<public URL>/share/<secret>`. */
  url: string;
}

/** What a link opens: every file of its version, each with its size. */
export interface SharedFiles {
  link: ShareLink;
  files: { file: string; size: number; sha256: string }[];
}

export interface ShareLinkDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  /** The generic files service (built on first use by its protocol definition: core.services). */
  generic: () => Promise<GenericFiles>;
  publicUrl: URL;
}

/**
 * Share links ("distribute"): a generic version, or one file of it, downloadable without an account by
 * whoever holds the link. The secret is shown once and only its hash kept; every request reads the link's
 * row, so a revocation stops the very next download on every replica. Each GET of a file counts one
 * download, checked against the maximum in the same statement that counts it.
 */
export class ShareLinks {
  constructor(private readonly deps: ShareLinkDeps) {}

  async create(actor: Principal, input: unknown, ctx: RequestContext): Promise<CreatedShareLink> {
    const parsed = parseInput(createShareLinkInput, input);
    authorize(actor, 'push', { kind: 'artifact', protocol: 'generic', name: parsed.name });
    authorize(actor, 'manage', { kind: 'share-link', createdBy: actor.user.id });
    const now = this.deps.clock.now();
    const expiresAt = parsed.expiresAt ? new Date(parsed.expiresAt) : new Date(now.getTime() + DEFAULT_SHARE_DAYS * DAY_MS);
    if (expiresAt.getTime() <= now.getTime()) throw Errors.validation('expiresAt must be in the future', [{ path: 'expiresAt', message: 'in the past' }]);
    if (expiresAt.getTime() > now.getTime() + MAX_SHARE_DAYS * DAY_MS) {
      throw Errors.validation(`A share link lives at most ${MAX_SHARE_DAYS} days`, [{ path: 'expiresAt', message: 'too far' }]);
    }
    const files = await (await this.deps.generic()).files(parsed.name, parsed.version);
    if (files.length === 0) throw Errors.notFound('Generic version', `${parsed.name}@${parsed.version}`);
    if (parsed.file !== undefined && !files.some((f) => f.file === parsed.file)) throw Errors.notFound('File', `${parsed.name}@${parsed.version}/${parsed.file}`);
    const secret = generateSecret('shareLink');
    const link: ShareLink = {
      id: randomUUID(),
      secretHash: hashSecret(secret),
      name: parsed.name,
      version: parsed.version,
      file: parsed.file ?? null,
      note: parsed.note ?? null,
      createdBy: actorName(actor),
      createdByUserId: actor.user.id,
      createdAt: now,
      expiresAt,
      maxDownloads: parsed.maxDownloads ?? null,
      downloadCount: 0,
      lastDownloadAt: null,
      revokedAt: null,
      revokedBy: null,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.shareLinks.insert(link);
      await this.deps.audit.record(tx.audit, { actor: actorName(actor), action: 'share_link.created', target: targetOf(link), details: detailsOf(link) }, ctx);
    });
    return { link, secret, url: new URL(`share/${secret}`, withSlash(this.deps.publicUrl)).href };
  }

  async list(actor: Principal): Promise<ShareLink[]> {
    authorize(actor, 'pull', { kind: 'share-link', createdBy: actor.user.id });
    return this.deps.store.shareLinks.list(LISTED);
  }

  /** Revokes at once and for good (its creator or an admin); revoking twice answers the link as it is. */
  async revoke(actor: Principal, id: string, ctx: RequestContext): Promise<ShareLink> {
    const link = await this.deps.store.shareLinks.byId(id);
    if (!link) throw Errors.notFound('Share link', id);
    authorize(actor, 'manage', { kind: 'share-link', createdBy: link.createdByUserId });
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.shareLinks.revoke(id, now, actorName(actor)))) return;
      await this.deps.audit.record(tx.audit, { actor: actorName(actor), action: 'share_link.revoked', target: targetOf(link), details: { downloads: link.downloadCount } }, ctx);
    });
    return (await this.deps.store.shareLinks.byId(id)) ?? link;
  }

  status(link: ShareLink) {
    return shareLinkStatus(link, this.deps.clock.now());
  }

  /** The files a link opens, while it is usable (viewing the list counts no download). */
  async open(secret: string): Promise<SharedFiles> {
    const link = await this.usable(secret);
    const files = (await (await this.deps.generic()).files(link.name, link.version)).filter((f) => link.file === null || f.file === link.file);
    if (files.length === 0) throw Errors.notFound('Generic version', `${link.name}@${link.version}`);
    return { link, files: files.map((f) => ({ file: f.file, size: f.record.size, sha256: f.record.blobDigest.replace(/^sha256:/, '') })) };
  }

  /**
   * One file through the link: HEAD only looks (no count); GET counts one download, refused if that
   * would pass the maximum or the link ended in the meantime.
   */
  async download(secret: string, file: string | null, range: string | undefined, counted: boolean): Promise<{ link: ShareLink; file: string; download: Download }> {
    const link = await this.usable(secret);
    const name = file ?? link.file;
    if (name === null) throw Errors.validation('This link shares a whole version: name the file, /share/<link>/<file>');
    if (link.file !== null && name !== link.file) throw Errors.notFound('File', name);
    const generic = await this.deps.generic();
    const hosted = await generic.file(link.name, link.version, name);
    if (counted && !(await this.deps.store.shareLinks.countDownload(link.id, this.deps.clock.now()))) {
      const now = await this.deps.store.shareLinks.byId(link.id);
      const why = now ? shareLinkStatus(now, this.deps.clock.now()) : 'revoked';
      throw Errors.shareLinkEnded(why === 'active' ? 'used-up' : why);
    }
    return { link, file: name, download: await generic.open(hosted, range) };
  }

  private async usable(secret: string): Promise<ShareLink> {
    const link = isWellFormedSecret(secret, 'shareLink') ? await this.deps.store.shareLinks.byHash(hashSecret(secret)) : undefined;
    if (!link) throw Errors.shareLinkEnded('unknown');
    const status = shareLinkStatus(link, this.deps.clock.now());
    if (status !== 'active') throw Errors.shareLinkEnded(status);
    return link;
  }
}

const targetOf = (link: ShareLink) => ({ type: 'share-link', id: link.id, name: `${link.name}@${link.version}${link.file ? `/${link.file}` : ''}` });
const detailsOf = (link: ShareLink) => ({ expiresAt: link.expiresAt.toISOString(), maxDownloads: link.maxDownloads, note: link.note });
