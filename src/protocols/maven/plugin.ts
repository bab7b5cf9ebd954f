import type { FastifyInstance } from 'fastify';
import type { MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import { callerOf } from '../kit/route.js';
import { mountHostedFiles } from '../hosted-files/mount.js';
import { mavenProtocol } from './definition.js';
import { MAVEN_ROUTES, type MavenContext } from './routes.js';

/** The Maven 2 repository (deploy, resolve, listings) under its prefixes, through the kit. */
export async function mavenPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  await mountProtocol<MavenContext>(app, core, {
    ...mountHostedFiles(mavenProtocol),
    routes: MAVEN_ROUTES,
    context: ({ request, reply, ctx, params, principal }) => ({
      maven: core.maven,
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
