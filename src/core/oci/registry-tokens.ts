import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isAllowed } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import { Errors } from '../errors.js';
import { isRepositoryName } from './names.js';
import type { Grant, RequestedScope, ScopeAction } from './scopes.js';

/** Short-lived, as the Docker token spec suggests (clients fetch a new one when it runs out). */
export const REGISTRY_TOKEN_TTL_SECONDS = 300;
export const REGISTRY_TOKEN_PREFIX = 'flyb_';
/** Keeps tokens (and the headers that carry them) small. */
const MAX_SCOPES = 32;
const MAX_VERIFIED = 10_000;
/** For log redaction: a registry bearer token anywhere in a string. */
export const REGISTRY_TOKEN_PATTERN = /flyb_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

interface Payload {
  /** Format version. */
  v: 1;
  /** The Fly token that obtained it: re-checked on every request. */
  t: string;
  iat: number;
  exp: number;
  g: Grant;
}

export interface IssuedRegistryToken {
  token: string;
  expiresIn: number;
  issuedAt: Date;
}

export interface VerifiedRegistryToken {
  tokenId: string;
  grant: Grant;
}

/**
 * The Docker token flow's bearer tokens: `flyb_<payload>.<HMAC-SHA256>`, signed with a key shared by all
 * replicas (kept in the database). They carry no authority of their own: each request re-authenticates the
 * Fly token named inside through the auth core, so revoking that token stops every bearer token it obtained.
 */
export class RegistryTokens {
  /**
   * Tokens already verified, so a busy client's requests skip the HMAC and JSON work (expiry still checked).
   * Found by their signature, then compared whole: a token runs to hundreds of characters, which a Map
   * lookup would hash in full on every request (each request's copy of it is a new string).
   */
  private readonly verified = new Map<string, VerifiedRegistryToken & { token: string; exp: number }>();

  constructor(private readonly key: Buffer) {}

  static generateKey(): string {
    return randomBytes(32).toString('base64url');
  }

  /** Grants each requested action the principal is allowed; a read-only token asking to push gets pull only. */
  issue(principal: Principal, scopes: RequestedScope[], now: Date): IssuedRegistryToken {
    if (!principal.token) {
      throw Errors.unauthenticated('Registry bearer tokens are issued to registry tokens: log in with a token username and a token');
    }
    const grant: Grant = { repositories: {}, catalog: false };
    for (const scope of scopes.slice(0, MAX_SCOPES)) {
      if (scope.type === 'registry') {
        grant.catalog = true;
        continue;
      }
      if (!isRepositoryName(scope.name)) continue;
      const granted = new Set<ScopeAction>(grant.repositories[scope.name] ?? []);
      for (const action of scope.actions) {
        if (isAllowed(principal, action, { kind: 'artifact', protocol: 'oci', name: scope.name })) granted.add(action);
      }
      grant.repositories[scope.name] = [...granted];
    }
    const iat = Math.floor(now.getTime() / 1000);
    // Obtained with a secret a rotation replaced: it must not outlive that secret's overlap.
    const retires = principal.token.secretRetiresAt;
    const ttl = retires ? Math.max(1, Math.min(REGISTRY_TOKEN_TTL_SECONDS, Math.floor(retires.getTime() / 1000) - iat)) : REGISTRY_TOKEN_TTL_SECONDS;
    const payload: Payload = { v: 1, t: principal.token.id, iat, exp: iat + ttl, g: grant };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { token: `${REGISTRY_TOKEN_PREFIX}${body}.${this.sign(body)}`, expiresIn: ttl, issuedAt: new Date(iat * 1000) };
  }

  /** True when the credential is in our bearer-token format (whether or not it is valid). */
  static isRegistryToken(secret: string): boolean {
    return secret.startsWith(REGISTRY_TOKEN_PREFIX);
  }

  verify(token: string, now: Date): VerifiedRegistryToken {
    const signature = token.slice(token.lastIndexOf('.') + 1);
    const known = this.verified.get(signature);
    if (known?.token === token) {
      if (known.exp * 1000 > now.getTime()) return { tokenId: known.tokenId, grant: known.grant };
      this.verified.delete(signature);
    }
    const checked = this.check(token, now);
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(signature, { ...checked, token });
    return { tokenId: checked.tokenId, grant: checked.grant };
  }

  private check(token: string, now: Date): VerifiedRegistryToken & { exp: number } {
    const dot = token.lastIndexOf('.');
    if (!token.startsWith(REGISTRY_TOKEN_PREFIX) || dot < 0) throw invalid('malformed');
    const body = token.slice(REGISTRY_TOKEN_PREFIX.length, dot);
    const expected = Buffer.from(this.sign(body));
    const actual = Buffer.from(token.slice(dot + 1));
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw invalid('bad signature');
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      throw invalid('malformed');
    }
    if (payload.v !== 1 || typeof payload.t !== 'string') throw invalid('malformed');
    if (payload.exp * 1000 <= now.getTime()) throw Errors.unauthenticated('The registry bearer token has expired: request a new one from /v2/token');
    return { tokenId: payload.t, grant: payload.g, exp: payload.exp };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(REGISTRY_TOKEN_PREFIX).update(body).digest('base64url');
  }
}

function invalid(why: string) {
  return Errors.unauthenticated(`Invalid registry bearer token (${why}): request a new one from /v2/token`);
}
