import type { FastifyReply } from 'fastify';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';

/**
 * The header a protocol's clients print when a server has something to tell the user:
 * - `npm-notice`: npm prints it as `npm notice <text>` (npm-registry-fetch logs it at the default level).
 *   npm must not get a `Warning` header: npm-registry-fetch reads those as cache warnings about the registry.
 * - `warning`: `Warning: 299 - "<text>"` (RFC 7234), which the OCI distribution spec says clients should show
 *   (crane and containerd-based clients do). Other protocols' clients (pip, twine, mvn, go, helm, cargo)
 *   show no response header; they get the same standard header, which `curl -v` and proxies' logs show.
 */
export type NoticeHeader = 'npm-notice' | 'warning';

/**
 * Adds the expiry notice to a protocol answer when the credential that authenticated it stops working soon
 * (a token expiring within the warning window, or a secret a rotation replaced): the one place every
 * protocol's answers get it, called by the kit's mount (mount.ts) right after its guard. Cargo's publish
 * answer also carries the text in `warnings.other`, the one
 * place cargo prints a registry's message.
 */
export function addExpiryNotice(core: Core, principal: Principal | null, reply: FastifyReply, header: NoticeHeader = 'warning'): void {
  const notice = noticeHeaderOf(core, principal, header);
  if (notice) void reply.header(notice[0], notice[1]);
}

/** The expiry notice as a header (name, value), or null when the credential has nothing to warn of. */
export function noticeHeaderOf(core: Core, principal: Principal | null, header: NoticeHeader = 'warning'): [string, string] | null {
  if (!principal) return null;
  const notice = core.expiryNotice(principal);
  if (notice === null) return null;
  if (header === 'npm-notice') return ['npm-notice', notice];
  return ['warning', `299 - "${notice.replace(/["\\]/g, '\\$&')}"`];
}
