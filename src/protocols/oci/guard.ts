import type { FastifyRequest } from 'fastify';
import { authorize, isAllowed } from '../../core/auth/authorize.js';
import type { RequestContext } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { parseRepositoryName } from '../../core/oci/names.js';
import type { OciRegistry } from '../../core/oci/registry.js';
import { RegistryTokens } from '../../core/oci/registry-tokens.js';
import { grantAllows } from '../../core/oci/scopes.js';
import { credentialOf } from '../../http/credentials.js';
import type { Access, RouteAction } from './route.js';

/**
 * The one guard of the registry. Authenticates through the auth core — a registry bearer token by
 * re-authenticating the Fly token it is bound to — then authorizes the route's declared action through
 * core's authorize(). A bearer token is further limited to the scopes it was granted: a missing scope is a
 * 401 challenge (the client fetches a token for it), while a refusal by authorize() (a read-only token
 * pushing) is a 403 that says why.
 */
export class Guard {
  constructor(
    private readonly core: Core,
    private readonly registry: OciRegistry,
  ) {}

  async authenticate(request: FastifyRequest, ctx: RequestContext): Promise<Access> {
    const credential = credentialOf(request);
    // Session cookies are ignored here: registry clients never send them, and honouring them would let any
    // web page a logged-in user visits push or delete by cross-site request.
    if (!credential || credential.kind === 'session-cookie') {
      throw Errors.unauthenticated('Authentication required: log in with a token username and a token (docker login, skopeo --creds)');
    }
    if (credential.kind === 'bearer' && RegistryTokens.isRegistryToken(credential.secret)) {
      const verified = this.registry.tokens.verify(credential.secret, this.core.clock.now());
      const principal = await this.core.authenticator.authenticateTokenId(verified.tokenId, ctx);
      return { principal, grant: verified.grant };
    }
    return { principal: await this.core.authenticator.authenticate(credential, ctx), grant: null };
  }

  /** Throws unless the access may perform the route's action (on the named repository, for repository routes). */
  authorizeRoute(access: Access, action: RouteAction, repository: string | undefined): void {
    switch (action) {
      case 'token':
      case 'login':
        return;
      case 'catalog':
        if (access.grant && !access.grant.catalog) throw insufficientScope();
        return;
      default: {
        const name = parseRepositoryName(repository ?? '');
        authorize(access.principal, action, { kind: 'artifact', protocol: 'oci', name });
        if (access.grant && !grantAllows(access.grant, name, action)) throw insufficientScope();
      }
    }
  }

  /** The non-throwing check for a second repository (mount's source, catalog entries). */
  mayPull(access: Access, repository: string): boolean {
    if (!isAllowed(access.principal, 'pull', { kind: 'artifact', protocol: 'oci', name: repository })) return false;
    return access.grant === null || grantAllows(access.grant, repository, 'pull');
  }
}

function insufficientScope() {
  return Errors.unauthenticated('The bearer token does not grant this action on this repository: request a token with that scope');
}
