import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SharedFiles } from '../../api/answers.js';
import type { Core } from '../../core/core.js';
import { answerStorageFailure } from '../../http/storage-failure.js';
import { directoryRedirect } from '../hosted-files/mount.js';
import { renderListing, sendDownload, sendPlainFailure } from '../hosted-files/wire.js';

/** Where share links are served; the secret is the only credential (no account, no token). */
export const SHARE_PREFIX = '/share';

type ShareRequest = FastifyRequest<{ Params: { secret: string } }>;

/**
 * Share links' public side: `/share/<link>` downloads a one-file link's file, or lists a version's files
 * (HTML for a person, JSON for `Accept: application/json`); `/share/<link>/<file>` downloads one. Files
 * stream with Range and checksums exactly as generic downloads do; each GET of a file counts one download
 * (HEAD counts none). Errors are plain text, as generic files answer them.
 */
export async function shareDownloads(app: FastifyInstance, core: Core): Promise<void> {
  const shareLinks = core.shareLinks;
  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => sendPlainFailure(answerStorageFailure(core, error, request), request, reply));

    const download = async (request: ShareRequest, reply: FastifyReply, file: string | null) => {
      const counted = request.method === 'GET';
      const found = await shareLinks.download(request.params.secret, file, request.headers.range, counted);
      void reply.header('content-disposition', `attachment; filename="${found.file.replace(/["\\\r\n]/g, '_')}"`).header('cache-control', 'no-store');
      return sendDownload(request, reply, found.download, 'application/octet-stream');
    };

    const root = async (request: ShareRequest, reply: FastifyReply) => {
      const shared = await shareLinks.open(request.params.secret);
      if (shared.link.file !== null) return download(request, reply, shared.link.file);
      if (request.headers.accept?.includes('application/json')) {
        const answer: SharedFiles = { name: shared.link.name, version: shared.link.version, expiresAt: shared.link.expiresAt.toISOString(), files: shared.files };
        return reply.header('cache-control', 'no-store').send(answer);
      }
      const entries = shared.files.map((f) => ({ name: f.file, directory: false, size: f.size }));
      return (
        directoryRedirect(request, reply) ??
        reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderListing(`${shared.link.name} ${shared.link.version}`, entries))
      );
    };

    // Fastify answers HEAD with these GET handlers (request.method is then HEAD: nothing is counted).
    scope.get(`${SHARE_PREFIX}/:secret`, root);
    scope.get(`${SHARE_PREFIX}/:secret/*`, (request: ShareRequest, reply) => {
      const file = (request.params as { '*'?: string })['*'] ?? '';
      return file === '' ? root(request, reply) : download(request, reply, file);
    });
  });
}
