import type { FastifyInstance } from 'fastify';
import { protocolService, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import { callerOf } from '../kit/route.js';
import { cargoProtocol } from './definition.js';
import { sendCargoError, sendCargoFailure } from './errors.js';
import type { CargoContext } from './route.js';
import { CARGO_ROUTES } from './routes.js';

/** The Cargo sparse registry (index, publish, yank, downloads) under its prefixes, through the kit. */
export async function cargoPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  const crates = await protocolService(core, cargoProtocol);
  await mountProtocol<CargoContext>(app, core, {
    protocol: cargoProtocol.id,
    title: cargoProtocol.title,
    prefixes: cargoProtocol.prefixes,
    router: 'fastify',
    routes: CARGO_ROUTES,
    loginHint: 'Authentication required: this registry needs a token (cargo login, or a credential provider)',
    streamBodies: true,
    context: ({ request, reply, ctx, params, prefix, principal }) => ({
      crates,
      blobs: core.blobs,
      request,
      reply,
      ctx,
      params,
      base: `${core.endpoints.publicUrl}${prefix}`,
      get principal() {
        return callerOf(principal);
      },
    }),
    sendError: sendCargoFailure,
    notFound: (request, reply) => sendCargoError(reply, 404, `not found: ${request.method} ${request.url.split('?')[0]}`),
  });
}
