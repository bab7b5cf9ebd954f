import { z } from 'zod';
import { parseJsonText } from '../../../core/npm/json-text.js';
import type { TokenDetails } from '../../../core/tokens/token-service.js';
import { Errors } from '../../../core/errors.js';
import { parseInput } from '../../../core/validation.js';
import type { NpmContext } from '../route.js';

/**
 * npm's token commands over Fly tokens (there is no second token system). The listed `token` is only
 * the secret's fixed prefix: secrets are never stored, and npm matches a pasted full token against it
 * before sending that secret to revoke.
 */
function npmToken(t: TokenDetails) {
  return {
    key: t.id,
    token: 'flyr_',
    name: t.name,
    readonly: t.permission === 'read-only',
    cidr_whitelist: null,
    created: t.createdAt.toISOString(),
    updated: t.createdAt.toISOString(),
    expires: t.expiresAt ? t.expiresAt.toISOString() : null,
  };
}

export async function listTokens(c: NpmContext): Promise<unknown> {
  const tokens = (await c.core.tokens.listOwn(c.principal)).filter((t) => t.status === 'active');
  return { objects: tokens.map(npmToken), total: tokens.length, urls: {} };
}

/** npm 10 sends `readonly`; npm 11 sends granular fields, of which the permission maps onto Fly's two. */
const createTokenBody = z.looseObject({
  password: z.string({ error: 'npm token create needs your password (--password or the prompt)' }).min(1).max(1024),
  name: z.string().max(100).optional(),
  readonly: z.boolean().optional(),
  packages_and_scopes_permission: z.enum(['read-only', 'read-write', 'no-access']).optional(),
  expires: z.number().int().min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days').optional(),
  cidr_whitelist: z.array(z.string()).optional(),
});

export async function createToken(c: NpmContext): Promise<unknown> {
  const body = parseInput(createTokenBody, parseJsonText(c.body, 'Token request'), 'Token request');
  if (body.cidr_whitelist && body.cidr_whitelist.length > 0) {
    throw Errors.validation('IP allow-lists (--cidr) are not supported: create the token without one', [{ path: 'cidr_whitelist', message: 'not supported' }]);
  }
  if (body.packages_and_scopes_permission === 'no-access') {
    throw Errors.validation('A token needs read-only or read-write access', [{ path: 'packages_and_scopes_permission', message: 'no-access is not supported' }]);
  }
  const readOnly = body.readonly === true || body.packages_and_scopes_permission === 'read-only';
  const created = await c.core.clientTokens.create(
    c.principal,
    body.password,
    { name: body.name || `npm token create (${c.core.clock.now().toISOString().slice(0, 10)})`, permission: readOnly ? 'read-only' : 'read-write', expiresInDays: body.expires },
    c.ctx,
  );
  return c.reply.status(201).send({ ...npmToken(created.token), token: created.secret });
}

export async function revokeToken(c: NpmContext): Promise<unknown> {
  await c.core.tokens.revokeOwn(c.principal, c.params.key ?? '', c.ctx);
  return { ok: true };
}

const COUCH_USER_PREFIX = 'org.couchdb.user:';
const couchLoginBody = z.looseObject({ name: z.string().min(1).max(200), password: z.string().min(1).max(1024) });

/**
 * `npm login --auth-type=legacy` (CouchDB style; the default web login is web-login.ts): the Fly
 * username and password in exchange for a new read & write token, listed like any other token.
 */
export async function couchLogin(c: NpmContext): Promise<unknown> {
  const id = c.params.couchUser ?? '';
  const body = parseInput(couchLoginBody, parseJsonText(c.body, 'Login request'), 'Login request');
  if (!id.startsWith(COUCH_USER_PREFIX) || id.slice(COUCH_USER_PREFIX.length) !== body.name) {
    throw Errors.validation(`The URL must name the user being logged in (${COUCH_USER_PREFIX}${body.name})`, [{ path: 'name', message: 'does not match the URL' }]);
  }
  const created = await c.core.clientTokens.login(body.name, body.password, c.ctx);
  return c.reply.status(201).send({ ok: true, id, rev: `1-${created.token.id.replace(/-/g, '')}`, token: created.secret });
}
