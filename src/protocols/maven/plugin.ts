import type { FastifyInstance } from 'fastify';
import { protocolService, type MountDeps } from '../kit/definition.js';
import { mountHostedProtocol } from '../hosted-files/mount.js';
import { mavenProtocol } from './definition.js';
import { MAVEN_ROUTES } from './routes.js';

/** The Maven 2 repository (deploy, resolve, listings) under its prefixes, through the kit. */
export async function mavenPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  await mountHostedProtocol(app, core, mavenProtocol, MAVEN_ROUTES, await protocolService(core, mavenProtocol));
}
