import type { Credential } from '../../../core/auth/principal.js';
import { Errors } from '../../../core/errors.js';
import { parseScopes } from '../../../core/oci/scopes.js';
import { registryCredential } from '../../kit/guard.js';
import { readBounded } from '../body.js';
import type { OciContext } from '../route.js';

/** The OAuth2 form containerd posts is small; anything larger is not a token request. */
export const MAX_TOKEN_FORM_BYTES = 64 * 1024;

/**
 * `GET /v2/token` (Docker's token flow): Basic credentials (token username + token, or Bearer with the
 * token itself) and any number of `scope` parameters, each possibly several space-separated scopes.
 */
export async function issueTokenGet(c: OciContext): Promise<unknown> {
  const credential = registryCredential(c.request);
  if (!credential || credential.kind === 'session-cookie') {
    throw Errors.unauthenticated('Send your token username and token with Basic authentication to obtain a registry token');
  }
  return issue(c, credential, c.query.getAll('scope'));
}

/**
 * `POST /v2/token` (OAuth2, as containerd sends it): `grant_type=password` with username and password
 * (the token) and `scope`. No refresh tokens are issued, so no other grant type is accepted.
 */
export async function issueTokenPost(c: OciContext): Promise<unknown> {
  const form = new URLSearchParams((await readBounded(c.request, c.bodyLimit ?? MAX_TOKEN_FORM_BYTES)).toString('utf8'));
  const grantType = form.get('grant_type');
  if (grantType !== 'password') {
    throw Errors.unsupported(`grant_type ${JSON.stringify(grantType ?? '')} is not supported: use grant_type=password with your token username and token`);
  }
  const username = form.get('username');
  const password = form.get('password');
  if (!username || !password) throw Errors.unauthenticated('grant_type=password needs username (the token username) and password (the token)');
  return issue(c, { kind: 'basic', username, password }, form.getAll('scope'));
}

async function issue(c: OciContext, credential: Credential, scopes: string[]): Promise<unknown> {
  const principal = await c.core.authenticator.authenticate(credential, c.ctx);
  const issued = (await c.registry.tokens()).issue(principal, parseScopes(scopes), c.core.clock.now());
  return c.reply.header('cache-control', 'no-store').send({
    token: issued.token,
    access_token: issued.token,
    expires_in: issued.expiresIn,
    issued_at: issued.issuedAt.toISOString(),
  });
}
