import type { FastifyInstance } from 'fastify';
import { mountedAs, protocolService, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import type { Crates } from '../../core/cargo/crates.js';
import { routeContext } from '../kit/route.js';
import { cargoProtocol } from './definition.js';
import { sendCargoError, sendCargoFailure } from './errors.js';
import type { CargoContext } from './route.js';
import { CARGO_ROUTES } from './routes.js';

/** The Cargo sparse registry (index, publish, yank, downloads) under its prefixes, through the kit. */
export async function cargoPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  const crates = await protocolService(core, cargoProtocol);
  await mountProtocol<CargoContext, Crates>(app, core, {
    ...mountedAs(cargoProtocol),
    router: 'fastify',
    routes: CARGO_ROUTES,
    loginHint: 'Authentication required: this registry needs a token (cargo login, or a credential provider)',
    streamBodies: true,
    context: (call) => routeContext(call, { crates, blobs: core.blobs, base: `${core.endpoints.publicUrl}${call.prefix}`, notice: () => (call.principal ? core.expiryNotice(call.principal) : null) }),
    services: crates,
    sendError: sendCargoFailure,
    notFound: (request, reply) => sendCargoError(reply, 404, `not found: ${request.method} ${request.url.split('?')[0]}`),
  });
}
