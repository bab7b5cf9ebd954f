import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { InvalidationBus } from '../invalidation.js';
import { tokenStatus } from '../model.js';
import type { MetadataStore } from '../ports.js';
import { parseInput } from '../validation.js';
import { kubernetesSecretInput, type KubernetesSecretInput } from './kubernetes-secret.js';
import { generateSecret, hashSecret } from './secret.js';
import type { TokenSecret } from './token-secrets.js';
import type { IssuedToken, TokenService } from './token-service.js';

/** How long the replaced secret keeps working unless the request says otherwise: a day, time for every deploy to pick up the new one. */
export const DEFAULT_OVERLAP_SECONDS = 86_400;
/** Longer than this and a rotation stops being one: two secrets would be live for a month. */
export const MAX_OVERLAP_SECONDS = 30 * 86_400;

const wholeSeconds = 'must be a whole number of seconds';
export const rotateTokenInput = z.strictObject({
  /** How long the replaced secret keeps working: 0 = it stops at once. */
  overlapSeconds: z
    .number({ error: wholeSeconds })
    .int(wholeSeconds)
    .min(0, 'must be 0 or more')
    .max(MAX_OVERLAP_SECONDS, `must be at most ${MAX_OVERLAP_SECONDS} (30 days)`)
    .optional(),
  /** Where the refreshed Kubernetes image-pull secret goes (environment tokens). */
  kubernetes: kubernetesSecretInput.optional(),
});
export type RotateTokenInput = z.input<typeof rotateTokenInput>;

/** A rotation's answer: the new secret (shown this once) with its snippets, and when the replaced one stops. */
export interface RotatedToken extends IssuedToken {
  previousSecretRetiresAt: Date;
}

/** The replaced secret of a token still in its overlap, as the dashboard shows it: is it still in use? */
export interface PreviousSecret {
  retiresAt: Date;
  lastUsedAt: Date | null;
  /** Used since the rotation (the moment the current secret was issued): someone has not switched yet. */
  usedSinceRotation: boolean;
  rotatedAt: Date;
}

export interface TokenRotationDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  invalidations: InvalidationBus;
  tokens: TokenService;
}

/**
 * Rotation with overlap (issue 18): a token gets a new secret and keeps its identity (id, name, username,
 * permission, environment, creator); the secret it replaces keeps working until the overlap ends, then is
 * refused as a revoked token is (auth/authenticate.ts, tokens/replaced-secret.ts).
 *
 * Expiry policy: a token that expires keeps its lifetime, counted again from the rotation (a 90-day token
 * rotated today expires in 90 days), since rotating is what its expiry warning asks for. The replaced secret
 * never outlives the expiry it was issued with.
 */
export class TokenRotation {
  constructor(private readonly deps: TokenRotationDeps) {}

  /** Admins rotate any token, developers their own (as for revoke). Only an active token can be rotated. */
  async rotate(actor: Principal, id: string, input: unknown, ctx: RequestContext, kubernetesQuery: KubernetesSecretInput = {}): Promise<RotatedToken> {
    const parsed = parseInput(rotateTokenInput, input ?? {});
    const token = await this.deps.tokens.load(actor, 'manage', id);
    const now = this.deps.clock.now();
    const status = tokenStatus(token, now);
    if (status !== 'active') throw Errors.conflict(`This token is ${status}: only an active token can be rotated (create a new one instead)`);
    const overlapSeconds = parsed.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
    const [current] = (await this.deps.store.tokenSecrets.listFor([id], now)).filter((s) => s.secretHash === token.secretHash);
    const currentSince = current?.createdAt ?? token.createdAt;
    const expiresAt = token.expiresAt && new Date(now.getTime() + (token.expiresAt.getTime() - currentSince.getTime()));
    const retiresAt = new Date(Math.min(now.getTime() + overlapSeconds * 1000, token.expiresAt?.getTime() ?? Infinity));
    const secret = generateSecret('token');
    await this.deps.store.transaction(async (tx) => {
      const rotated = await tx.tokenSecrets.rotate({
        tokenId: id,
        previousHash: token.secretHash,
        previousCreatedAt: currentSince,
        newHash: hashSecret(secret),
        at: now,
        retiresAt,
        expiresAt,
      });
      if (!rotated) throw Errors.conflict('The token was rotated or revoked meanwhile: reload it and try again');
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'token.rotated',
          target: { type: 'token', id, name: token.name },
          details: {
            username: token.username,
            overlapSeconds,
            previousSecretRetiresAt: retiresAt.toISOString(),
            expiresAt: expiresAt ? expiresAt.toISOString() : null,
          },
        },
        ctx,
      );
      // Every replica drops what it cached under the old secret; re-read, it carries its retirement time.
      await this.deps.invalidations.publish({ kind: 'token', tokenId: id }, tx);
    });
    this.deps.tokens.forget([id]);
    const fresh = await this.deps.store.tokens.byId(id);
    if (!fresh) throw Errors.notFound('Token', id);
    return { ...this.deps.tokens.created(fresh, secret, { ...kubernetesQuery, ...parsed.kubernetes }), previousSecretRetiresAt: retiresAt };
  }

  /** For each token with a replaced secret still in its overlap, that secret (the newest one, if several). */
  async previousSecrets(tokenIds: readonly string[]): Promise<Map<string, PreviousSecret>> {
    const now = this.deps.clock.now().getTime();
    const byToken = new Map<string, TokenSecret[]>();
    for (const s of await this.deps.store.tokenSecrets.listFor(tokenIds, new Date(now))) byToken.set(s.tokenId, [...(byToken.get(s.tokenId) ?? []), s]);
    const out = new Map<string, PreviousSecret>();
    for (const [tokenId, secrets] of byToken) {
      const current = secrets.find((s) => s.retiresAt === null);
      const live = secrets.filter((s) => s.retiresAt !== null && s.retiresAt.getTime() > now);
      const previous = live.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
      if (!previous?.retiresAt || !current) continue;
      out.set(tokenId, {
        retiresAt: previous.retiresAt,
        lastUsedAt: previous.lastUsedAt,
        usedSinceRotation: previous.lastUsedAt !== null && previous.lastUsedAt.getTime() >= current.createdAt.getTime(),
        rotatedAt: current.createdAt,
      });
    }
    return out;
  }
}
