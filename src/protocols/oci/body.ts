import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { Errors } from '../../core/errors.js';

/** The request body as a stream; Fastify's parser is bypassed for the registry (see plugin.ts). */
export function bodyStream(request: FastifyRequest): Readable {
  return request.raw;
}

/** Whether the request carries a body at all (a zero Content-Length, or none without chunking, does not). */
export function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

export function contentLength(request: FastifyRequest): number | undefined {
  const length = request.headers['content-length'];
  if (length === undefined) return undefined;
  const n = Number(length);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Reads a small body whole, refusing (413) anything above `limit` bytes without reading it all. */
export async function readBounded(request: FastifyRequest, limit: number): Promise<Buffer> {
  const declared = contentLength(request);
  if (declared !== undefined && declared > limit) throw Errors.payloadTooLarge(limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request.raw) {
    total += (chunk as Buffer).length;
    if (total > limit) throw Errors.payloadTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type of the Content-Type header without parameters, lowercased; undefined when absent. */
export function mediaTypeOf(request: FastifyRequest): string | undefined {
  const header = request.headers['content-type'];
  if (header === undefined || header === '') return undefined;
  return header.split(';')[0]?.trim().toLowerCase();
}
