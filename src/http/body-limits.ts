/**
 * How large a request body each route may receive, decided from the route's declaration before a byte of
 * the body is read (Fastify refuses a larger Content-Length at once and stops reading a chunked body at the
 * limit). Only routes that authenticate first (in `onRequest`, before the body: every protocol route through
 * the kit's guard, every management API route but the public ones) take more than a small body: a caller who
 * has not proven anything may send a small JSON object and no more.
 */
export const PUBLIC_BODY_LIMIT = 16 * 1024;

/** Bodies of authenticated requests that carry no artifact (token requests, audits, management API). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The limit of a route: its declared one, else small for unauthenticated routes and the default for the rest. */
export function bodyLimitFor(route: { public: boolean; bodyLimit?: number }): number {
  return route.bodyLimit ?? (route.public ? PUBLIC_BODY_LIMIT : DEFAULT_BODY_LIMIT);
}
