import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BodyMemory } from '../core/body-memory.js';
import { Errors } from '../core/errors.js';

/**
 * For a route that reads its body whole, once its caller is authenticated and before the body is read: holds
 * the body's declared size (its limit when undeclared) in the process's body memory until the answer has
 * gone, or refuses at once (503, to retry) when that much is not free, so concurrent uploads cannot exhaust
 * the memory (core/body-memory.ts). A request without a body holds nothing.
 */
export function holdBodyMemory(memory: BodyMemory, request: FastifyRequest, reply: FastifyReply, bodyLimit: number | undefined): void {
  const declared = request.headers['content-length'];
  const chunked = declared === undefined && request.headers['transfer-encoding'] !== undefined;
  const bytes = chunked ? (bodyLimit ?? 0) : Number(declared ?? 0);
  if (!(bytes > 0)) return;
  const release = memory.hold(bytes);
  if (!release) throw Errors.unavailable('This server is receiving as many uploads into memory as it may at once (FLY_BODY_MEMORY_MB); retry shortly.');
  reply.raw.once('close', release);
}
