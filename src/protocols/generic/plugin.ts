import type { FastifyInstance } from 'fastify';
import type { MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import { callerOf } from '../kit/route.js';
import { mountHostedFiles } from '../hosted-files/mount.js';
import { genericProtocol } from './definition.js';
import { GENERIC_ROUTES, type GenericContext } from './routes.js';

/** Generic files (`<name>/<version>/<file>`) under their prefixes, through the kit. */
export async function genericPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  await mountProtocol<GenericContext>(app, core, {
    ...mountHostedFiles(genericProtocol),
    routes: GENERIC_ROUTES,
    context: ({ request, reply, ctx, params, principal }) => ({
      generic: core.generic,
      request,
      reply,
      ctx,
      params,
      get principal() {
        return callerOf(principal);
      },
    }),
  });
}
