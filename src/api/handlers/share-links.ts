import type { Core } from '../../core/core.js';
import type { ShareLink as ShareLinkRecord } from '../../core/share-links/model.js';
import { createShareLinkInput } from '../../core/share-links/share-links.js';
import type { CreatedShareLink, ShareLink, ShareLinkList } from '../answers.js';
import type { ApiRoute } from '../route.js';

export const shareLinkAnswer = (core: Core, l: ShareLinkRecord): ShareLink => ({
  id: l.id,
  name: l.name,
  version: l.version,
  file: l.file,
  note: l.note,
  createdBy: l.createdBy,
  createdAt: l.createdAt.toISOString(),
  expiresAt: l.expiresAt.toISOString(),
  maxDownloads: l.maxDownloads,
  downloadCount: l.downloadCount,
  lastDownloadAt: l.lastDownloadAt?.toISOString() ?? null,
  revokedAt: l.revokedAt?.toISOString() ?? null,
  revokedBy: l.revokedBy,
  status: core.shareLinks.status(l),
});

export const shareLinkRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/share-links',
    summary: 'Share links of generic files, newest first (never their secrets)',
    auth: 'principal',
    handler: async ({ core, principal }): Promise<ShareLinkList> => ({ shareLinks: (await core.shareLinks.list(principal)).map((l) => shareLinkAnswer(core, l)) }),
  },
  {
    method: 'POST',
    path: '/api/v1/share-links',
    summary: 'Share a generic version (or one `file` of it) through a link that needs no account: `expiresAt` (default 7 days), `maxDownloads`; the URL is shown this once',
    auth: 'principal',
    status: 201,
    body: createShareLinkInput,
    async handler({ core, principal, request, ctx }): Promise<CreatedShareLink> {
      const { link, url } = await core.shareLinks.create(principal, request.body, ctx);
      return { ...shareLinkAnswer(core, link), url };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/share-links/:id/revoke',
    summary: 'Revoke a share link at once (its creator or an admin): the next download through it is refused',
    auth: 'principal',
    handler: async ({ core, principal, params, ctx }): Promise<ShareLink> => shareLinkAnswer(core, await core.shareLinks.revoke(principal, params.id ?? '', ctx)),
  },
];
