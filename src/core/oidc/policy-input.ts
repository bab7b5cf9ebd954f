import { z } from 'zod';
import { scopeInput } from '../auth/scope.js';
import { environmentNameInput, permissionInput } from '../tokens/token-service.js';
import { displayText, slugName } from '../validation.js';

/** The longest life an exchanged token may have: an hour, like the CI jobs it serves. */
export const MAX_TOKEN_TTL_SECONDS = 3600;
const DEFAULT_TOKEN_TTL_SECONDS = 900;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An issuer URL: https, or http on loopback only (a test or a same-host issuer). No query or fragment,
 * as OIDC Discovery requires; the discovery document is fetched from `<issuer>/.well-known/openid-configuration`.
 */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.search || url.hash || url.username || url.password) return 'must not have a query, fragment or credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must be https (plain http only on loopback)';
}

export const issuerInput = z
  .string()
  .max(500, 'must be at most 500 characters')
  .superRefine((value, ctx) => {
    const problem = issuerProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A claim value pattern: exact text, where `*` stands for any run of characters. */
const patternInput = z
  .string()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/u, 'must not contain control characters')
  .refine((v) => v.replace(/\*/g, '') !== '', 'must not be only wildcards: a rule that accepts anything protects nothing');

const claimRuleInput = z.strictObject({
  claim: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, 'must be a claim name (letters, digits, "_", "-", "."), at most 100 characters'),
  /** One value or several alternatives. */
  equals: z.union([patternInput, z.array(patternInput).min(1, 'must list at least one value').max(50, 'must list at most 50 values')]),
});

export const createPolicyInput = z.strictObject({
  name: slugName(63),
  issuer: issuerInput,
  audience: displayText(300),
  /** Every rule must hold; at least one, so a policy never trusts every job an issuer signs for. */
  rules: z.array(claimRuleInput).min(1, 'must have at least one claim rule (e.g. repository)').max(20, 'must have at most 20 rules'),
  permission: permissionInput,
  /** The tokens it issues reach only these patterns (`["oci:acme/*"]` or `{protocol, resource, actions}`); absent = everything. */
  scope: scopeInput.optional(),
  environment: environmentNameInput.nullable().optional(),
  tokenTtlSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(5, 'must be at least 5 seconds')
    .max(MAX_TOKEN_TTL_SECONDS, `must be at most ${MAX_TOKEN_TTL_SECONDS} seconds: exchanged tokens are short-lived`)
    .default(DEFAULT_TOKEN_TTL_SECONDS),
});
export type CreatePolicyInput = z.input<typeof createPolicyInput>;

/** The exchange request: the CI job's ID token, and optionally which policy to use when several match. */
export const exchangeInput = z.strictObject({
  token: z.string().min(1, 'must be the ID token (a JWT)').max(16_384, 'must be at most 16384 characters'),
  policy: slugName(63).optional(),
});
