import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';

/** Asymmetric signatures only: no `none`, no HMAC (an issuer's shared secret would be no proof of anything). */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Tolerated clock difference with the issuer when checking exp, nbf and iat. */
export const CLOCK_SKEW_SECONDS = 30;
/** No CI ID token lives this long; bounds iat (and so refuses an iat in the future, beyond the skew). */
const MAX_ID_TOKEN_AGE = '24h';
const DISCOVERY_MAX_BYTES = 64 * 1024;

export interface IdTokenVerifierOptions {
  clock: Clock;
  /** How long a discovery document and a JWKS stay cached before they are fetched again. */
  keyCacheMs: number;
  /** Time allowed for one discovery or JWKS request. */
  fetchTimeoutMs: number;
}

interface IssuerKeys {
  jwksUri: string;
  keys: JWTVerifyGetKey;
  discoveredAt: number;
}

/** A verified ID token's claims: signature, issuer, audience and times checked; `sub` and `jti` present. */
export type VerifiedClaims = JWTPayload & { iss: string; sub: string; jti: string; exp: number };

/**
 * Verifies OIDC ID tokens with `jose` against their issuer's published keys: the discovery document
 * (`<issuer>/.well-known/openid-configuration`) names the JWKS, which jose fetches, caches for `keyCacheMs`
 * and fetches again when a token names a key it does not hold (a rotation). A key the issuer stopped
 * publishing stops verifying once the cached set is refreshed. Only issuers a trust policy names are ever
 * contacted: the caller checks that before calling verify().
 */
export class IdTokenVerifier {
  private readonly issuers = new Map<string, Promise<IssuerKeys>>();

  constructor(private readonly options: IdTokenVerifierOptions) {}

  async verify(token: string, issuer: string, audiences: string[]): Promise<VerifiedClaims> {
    const keys = await this.keysOf(issuer);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.keys, {
        issuer,
        audience: audiences,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: this.options.clock.now(),
        maxTokenAge: MAX_ID_TOKEN_AGE,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch (error) {
      throw refusal(error, audiences);
    }
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      throw Errors.idTokenRefused('invalid', 'the ID token needs string "sub" and "jti" claims and a numeric "exp"');
    }
    if (payload.jti.length > 300) throw Errors.idTokenRefused('invalid', 'the ID token\'s "jti" is longer than 300 characters');
    return payload as VerifiedClaims;
  }

  private keysOf(issuer: string): Promise<IssuerKeys> {
    const now = this.options.clock.now().getTime();
    const cached = this.issuers.get(issuer);
    if (cached) {
      // A fresh entry (or one being fetched) serves; a stale one is refreshed, keeping jose's key cache when
      // the JWKS location did not move.
      return cached.then(
        (entry) => (now - entry.discoveredAt < this.options.keyCacheMs ? entry : this.refresh(issuer, entry)),
        () => this.refresh(issuer, undefined),
      );
    }
    return this.refresh(issuer, undefined);
  }

  private refresh(issuer: string, previous: IssuerKeys | undefined): Promise<IssuerKeys> {
    const pending = this.discover(issuer).then((jwksUri): IssuerKeys => ({
      jwksUri,
      keys:
        previous && previous.jwksUri === jwksUri
          ? previous.keys
          : createRemoteJWKSet(new URL(jwksUri), {
              timeoutDuration: this.options.fetchTimeoutMs,
              cacheMaxAge: this.options.keyCacheMs,
              // A token naming an unknown key may refetch the set, but not more often than this.
              cooldownDuration: Math.min(30_000, this.options.keyCacheMs),
            }),
      discoveredAt: this.options.clock.now().getTime(),
    }));
    this.issuers.set(issuer, pending);
    // A failed discovery is not cached: the next exchange tries again.
    pending.catch(() => {
      if (this.issuers.get(issuer) === pending) this.issuers.delete(issuer);
    });
    return pending;
  }

  /** Fetches the discovery document and returns its jwks_uri, after checking it names this very issuer. */
  private async discover(issuer: string): Promise<string> {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.options.fetchTimeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > DISCOVERY_MAX_BYTES) throw new Error('document too large');
      const text = await res.text();
      if (text.length > DISCOVERY_MAX_BYTES) throw new Error('document too large');
      document = JSON.parse(text);
    } catch (error) {
      throw Errors.unavailable(`Could not read the OIDC discovery document of ${issuer}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const fields = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
    if (fields.issuer !== issuer) {
      throw Errors.unavailable(`The OIDC discovery document at ${url} names issuer ${JSON.stringify(fields.issuer)}, not ${issuer}`);
    }
    const jwksUri = fields.jwks_uri;
    if (typeof jwksUri !== 'string' || !isSameSchemeUrl(jwksUri, issuer)) {
      throw Errors.unavailable(`The OIDC discovery document of ${issuer} has no usable jwks_uri`);
    }
    return jwksUri;
  }
}

/** The JWKS must be https too (or http only when the issuer itself is a loopback http URL). */
function isSameSchemeUrl(value: string, issuer: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && new URL(issuer).protocol === 'http:');
  } catch {
    return false;
  }
}

/** jose's failures as the exchange's clear refusals. */
function refusal(error: unknown, audiences: string[]): Error {
  if (error instanceof errors.JWTExpired) return Errors.idTokenRefused('expired', `the ID token has expired (${error.message})`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return Errors.idTokenRefused('audience', `the ID token's audience is not one a trust policy accepts (${audiences.map((a) => JSON.stringify(a)).join(', ')})`);
    }
    if (error.claim === 'nbf') return Errors.idTokenRefused('not_yet_valid', 'the ID token is not valid yet (nbf)');
    if (error.claim === 'iat') return Errors.idTokenRefused('issued_in_future', 'the ID token was issued in the future (iat)');
    return Errors.idTokenRefused('invalid', `claim ${error.claim}: ${error.message}`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return Errors.idTokenRefused('algorithm', `the ID token's signature algorithm is not allowed (allowed: ${ALLOWED_ALGORITHMS.join(', ')})`);
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return Errors.idTokenRefused('signature', 'the ID token is not signed by a key its issuer currently publishes');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return Errors.unavailable(`Could not read the issuer's signing keys: ${error.message}`);
  }
  if (error instanceof errors.JOSEError) return Errors.idTokenRefused('invalid', `the ID token is malformed (${error.message})`);
  // jose reports a failed JWKS fetch (HTTP status, network) as a plain error.
  return Errors.unavailable(`Could not verify the ID token against its issuer's keys: ${error instanceof Error ? error.message : String(error)}`);
}
