import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { FailureLimiter } from '../auth/failure-limiter.js';
import type { RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import { parseInput } from '../validation.js';
import type { TokenService } from './token-service.js';

/** The most matches one scanner report may carry; GitHub batches matches, far fewer than this. */
export const MAX_REPORTED_TOKENS = 1000;
/** Our secrets are 43 characters; anything much longer is not one and is not looked up. */
const MAX_TOKEN_CHARS = 200;

/**
 * The public keys a secret scanner signs its reports with, as GitHub publishes them at
 * https://api.github.com/meta/public_keys/secret_scanning: `{"public_keys":[{"key_identifier","key","is_current"}]}`
 * (`key` a PEM SubjectPublicKeyInfo, ECDSA P-256). Every listed key is accepted, current or not, so a report
 * signed just before GitHub rotates still verifies.
 */
const keysDocument = z.object({
  public_keys: z
    .array(z.object({ key_identifier: z.string().min(1).max(200), key: z.string().min(1).max(10_000), is_current: z.boolean().optional() }))
    .min(1)
    .max(100),
});

export type ScanningKeys = ReadonlyMap<string, KeyObject>;

/** Parses the keys document at start-up; a key that is not an EC public key is a configuration error. */
export function parseScanningKeys(json: string): ScanningKeys {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw Errors.validation('Secret-scanning keys are not JSON: give GitHub\'s {"public_keys":[…]} document');
  }
  const parsed = parseInput(keysDocument, document, 'Secret-scanning keys');
  const keys = new Map<string, KeyObject>();
  for (const entry of parsed.public_keys) {
    const key = createPublicKey(entry.key);
    if (key.asymmetricKeyType !== 'ec') throw Errors.validation(`Secret-scanning key ${entry.key_identifier} is not an ECDSA public key`);
    keys.set(entry.key_identifier, key);
  }
  return keys;
}

/** GitHub's report: a JSON list of matches. */
const githubReport = z
  .array(
    z.object({
      token: z.string().max(MAX_TOKEN_CHARS * 50),
      type: z.string().max(200),
      url: z.string().max(4000).optional(),
      source: z.string().max(200).optional(),
    }),
  )
  .max(MAX_REPORTED_TOKENS, `at most ${MAX_REPORTED_TOKENS} matches per report`);

/** The feedback GitHub takes back: one verdict per reported token. */
export interface ScannerVerdict {
  token_raw: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

export const reportLeakInput = z.strictObject({ token: z.string().min(1).max(MAX_TOKEN_CHARS) });

export interface LeakReportDeps {
  tokens: TokenService;
  limiter: FailureLimiter;
  clock: Clock;
  /** Null when no scanner keys are configured: the scanner endpoint then refuses every report. */
  scanningKeys: ScanningKeys | null;
}

/**
 * Leak reports revoke a token at once, without needing to know whose it is: from a secret scanner (signed
 * with its ECDSA key, answered with per-token verdicts) or from anyone who found a secret pasted somewhere
 * (answered the same whatever the secret was, so the endpoint tells nothing about tokens).
 */
export class LeakReportService {
  constructor(private readonly deps: LeakReportDeps) {}

  /** A GitHub secret-scanning partner report: verified over the exact bytes received, before anything is parsed. */
  async github(raw: Buffer, keyId: string | undefined, signature: string | undefined, ctx: RequestContext): Promise<ScannerVerdict[]> {
    this.verify(raw, keyId, signature);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw Errors.validation('Report body is not JSON');
    }
    const matches = parseInput(githubReport, body, 'Report');
    const first = new Map<string, (typeof matches)[number]>();
    for (const m of matches) if (!first.has(m.token)) first.set(m.token, m);
    // Only strings that could be our secrets are looked up; the rest are false positives straight away.
    const candidates = [...first.values()]
      .filter((m) => m.token.length <= MAX_TOKEN_CHARS)
      .map((m) => ({ secret: m.token, url: m.url, source: `github${m.source ? ` ${m.source}` : ''}` }));
    const outcomes = new Map<string, string>();
    for (const o of await this.deps.tokens.revokeLeaked(candidates, 'secret-scanning', ctx)) {
      outcomes.set(o.secret, o.outcome);
    }
    return matches.map((m) => ({
      token_raw: m.token,
      token_type: m.type,
      label: (outcomes.get(m.token) ?? 'unknown') === 'unknown' ? 'false_positive' : 'true_positive',
    }));
  }

  /** `POST /api/v1/tokens/report-leak`: counted against the address's limit whatever the outcome. */
  async report(input: unknown, ctx: RequestContext): Promise<void> {
    const now = this.deps.clock.nowMs();
    const key = ctx.ip ? `leak-report:${ctx.ip}` : null;
    // Each report keeps its place in the count, found or not: guessing secrets here costs the same as at login.
    const attempt = await this.deps.limiter.reserve([key], now);
    attempt.failed();
    const { token } = parseInput(reportLeakInput, input);
    await this.deps.tokens.revokeLeaked([{ secret: token }], 'leak-report', ctx);
  }

  private verify(raw: Buffer, keyId: string | undefined, signature: string | undefined): void {
    const keys = this.deps.scanningKeys;
    if (!keys) throw Errors.unavailable('Secret-scanning reports are not configured on this registry (FLY_SECRET_SCANNING_KEYS)');
    if (!keyId || !signature) throw Errors.unauthenticated('Missing Github-Public-Key-Identifier or Github-Public-Key-Signature header');
    const key = keys.get(keyId);
    if (!key) throw Errors.unauthenticated('Unknown signing key identifier');
    let valid = false;
    try {
      valid = verify('sha256', raw, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) throw Errors.unauthenticated('Report signature does not verify');
  }
}
