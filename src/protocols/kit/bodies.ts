import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/**
 * Leaves every request body of a protocol's scope unparsed (`streamBodies: true` in its mount): blobs,
 * archives and uploads stream from the request to the blob store, bounded by their readers and the route's
 * body limit, never buffered by the framework.
 */
export function leaveBodiesUnparsed(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
}

/** The request body as a stream, in a scope whose bodies are left unparsed. */
export function bodyOf(request: FastifyRequest): Readable {
  return request.raw;
}
