import type { FastifyInstance } from 'fastify';
import { mountedAs, protocolService, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import type { GoModules } from '../../core/go/go-modules.js';
import { routeContext } from '../kit/route.js';
import { goProtocol } from './definition.js';
import { sendGoError, sendGoFailure } from './errors.js';
import { goTarget } from './paths.js';
import type { GoContext } from './route.js';
import { GO_ROUTES } from './routes.js';

/** The Go module proxy (GOPROXY protocol) and its upload endpoint, under its prefixes, through the kit. */
export async function goPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  const modules = await protocolService(core, goProtocol);
  await mountProtocol<GoContext, GoModules>(app, core, {
    ...mountedAs(goProtocol),
    router: 'fastify',
    routes: GO_ROUTES,
    loginHint: 'Authentication required: set GOAUTH/.netrc with your token username and the token as password',
    streamBodies: true,
    context: (call) => routeContext(call, { modules, blobs: core.blobs, target: goTarget(call.params) }),
    services: modules,
    sendError: sendGoFailure,
    notFound: (request, reply) => sendGoError(reply, 404, `${request.method} ${request.url.split('?')[0]}`),
  });
}
