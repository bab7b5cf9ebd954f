import type { FastifyInstance } from 'fastify';
import { protocolService, type MountDeps } from '../kit/definition.js';
import { mountHostedProtocol } from '../hosted-files/mount.js';
import { genericProtocol } from './definition.js';
import { GENERIC_ROUTES } from './routes.js';
import { shareDownloads } from './share-downloads.js';

/** Generic files (`<name>/<version>/<file>`) under its prefixes, through the kit, and their share links at /share/. */
export async function genericPlugin(app: FastifyInstance, { core }: MountDeps): Promise<void> {
  await mountHostedProtocol(app, core, genericProtocol, GENERIC_ROUTES, await protocolService(core, genericProtocol));
  await shareDownloads(app, core);
}
