import type { FastifyReply } from 'fastify';
import type { StoredFile } from '../../../core/pypi/pypi-service.js';
import type { PypiContext } from '../route.js';

/** PEP 658: a distribution's core metadata is served at the file's URL plus this suffix. */
const METADATA_SUFFIX = '.metadata';

async function sendBlob(c: PypiContext, file: StoredFile, type: string): Promise<FastifyReply> {
  // Content-addressed: the digest is a perfect entity tag and the bytes never change.
  const etag = `"${file.digest}"`;
  void c.reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
  if (c.request.headers['if-none-match'] === etag) return c.reply.status(304).send();
  const stream = await c.blobs.open(file.digest);
  return c.reply.type(type).header('content-length', String(file.size)).send(stream);
}

/** A distribution file, or (for `<file>.metadata`) the METADATA extracted from that wheel at upload. */
export async function downloadFile(c: PypiContext): Promise<FastifyReply> {
  const project = c.params.project ?? '';
  const filename = c.params.filename ?? '';
  if (filename.endsWith(METADATA_SUFFIX)) {
    const metadata = await c.service.coreMetadata(project, filename.slice(0, -METADATA_SUFFIX.length));
    return sendBlob(c, metadata, 'text/plain; charset=utf-8');
  }
  return sendBlob(c, await c.service.file(project, filename), 'application/octet-stream');
}
