import type { FastifyInstance } from 'fastify';
import { mountedAs, protocolService, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import type { Charts } from '../../core/helm/charts.js';
import { routeContext } from '../kit/route.js';
import { helmProtocol } from './definition.js';
import { sendHelmError, sendHelmFailure } from './errors.js';
import type { HelmContext } from './route.js';
import { HELM_ROUTES } from './routes.js';

/** The Helm chart repository (index.yaml, downloads, uploads, delete) under its prefixes, through the kit. */
export async function helmPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  const charts = await protocolService(core, helmProtocol);
  await mountProtocol<HelmContext, Charts>(app, core, {
    ...mountedAs(helmProtocol),
    router: 'fastify',
    routes: HELM_ROUTES,
    loginHint: 'Authentication required: helm repo add --username <token username> --password <token>',
    streamBodies: true,
    context: (call) => routeContext(call, { charts, blobs: core.blobs }),
    services: charts,
    sendError: sendHelmFailure,
    notFound: (request, reply) => sendHelmError(reply, 404, `not found: ${request.method} ${request.url.split('?')[0]}`),
  });
}
