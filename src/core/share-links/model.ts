/** A share link as stored: never its secret, only what identifies and limits it. */
export interface ShareLink {
  id: string;
  secretHash: string;
  /** The generic package and version shared. */
  name: string;
  version: string;
  /** One file of the version, or null for every file of it. */
  file: string | null;
  note: string | null;
  createdBy: string;
  createdByUserId: string;
  createdAt: Date;
  expiresAt: Date;
  maxDownloads: number | null;
  downloadCount: number;
  lastDownloadAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export type ShareLinkStatus = 'active' | 'expired' | 'revoked' | 'used-up';

/** Revoked wins over expired, expired over used up, as for tokens (revoked > expired > active). */
export function shareLinkStatus(link: ShareLink, now: Date): ShareLinkStatus {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (link.maxDownloads !== null && link.downloadCount >= link.maxDownloads) return 'used-up';
  return 'active';
}

export interface ShareLinkStore {
  insert(link: ShareLink): Promise<void>;
  byHash(secretHash: string): Promise<ShareLink | undefined>;
  byId(id: string): Promise<ShareLink | undefined>;
  /** Newest first. */
  list(limit: number): Promise<ShareLink[]>;
  /**
   * Counts one download, only if the link is still usable at `at` (not revoked, not expired, under its
   * maximum), in one statement so concurrent downloads never pass the maximum. False when refused.
   */
  countDownload(id: string, at: Date): Promise<boolean>;
  /** Sets revoked_at once; false when it was already revoked. */
  revoke(id: string, at: Date, by: string): Promise<boolean>;
}
