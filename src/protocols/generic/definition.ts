import { join } from 'node:path';
import { editNetrc } from '../../client/package-managers/netrc.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { GenericFiles } from '../../core/generic/generic-files.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/generic` is its short alias. */
const GENERIC_PATH = '/artifactory/api/generic';

/** Generic files: any bytes under `<name>/<version>/<file>`, checksums verified both ways. */
export const genericProtocol: ProtocolDefinition<GenericFiles> = {
  id: 'generic',
  title: 'Generic files',
  prefixes: [GENERIC_PATH, '/generic'],
  endpoint: { key: 'generic', build: (publicUrl) => ({ baseUrl: `${publicBase(publicUrl).base}${GENERIC_PATH}/` }) },
  snippets: [
    {
      key: 'genericCurl',
      build: (endpoint, username, secret) =>
        `curl -fu '${username}:${secret}' -H "X-Checksum-Sha256: $(sha256sum FILE | cut -d' ' -f1)" -T FILE ${endpoint.baseUrl ?? ''}NAME/VERSION/FILE`,
    },
  ],
  artifact: { shape: 'package', repository: 'generic' },
  // curl (`curl -n`) reads credentials from ~/.netrc.
  clientSetup: {
    tool: 'curl',
    configPath: (env) => join(env.home, '.netrc'),
    edit: (existing, endpoints, credential) => editNetrc(existing, new URL(endpoints.generic.baseUrl).hostname, credential.username, credential.secret),
  },
  service: async (deps) => {
    const m = await import('../../core/generic/generic-files.js');
    return new m.GenericFiles(deps);
  },
  cliCommands: async () => (await import('../../cli/commands/files.js')).registerFiles,
  catalog: async (service) => (await import('../../core/packages/catalog/providers/generic.js')).genericCatalogProvider(service),
  mount: async (app, deps) => (await import('./plugin.js')).genericPlugin(app, deps),
  routes: async () => (await import('./routes.js')).GENERIC_ROUTES,
};
