import type { RegistryEndpoints } from '../answers.js';
import type { ApiRoute } from '../route.js';

export const endpointRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/endpoints',
    summary:
      'Where each protocol’s clients reach this registry (from FLY_PUBLIC_URL): what `flyreg setup` writes into their configuration, and every snippet with <token username> and <token> placeholders',
    // The public URL and the URL layout are no secret: clients need them before they hold any credential.
    auth: 'public',
    // Built from the protocol registry's entries, one key per protocol (checked by registry.test.ts).
    handler: async ({ core }): Promise<RegistryEndpoints> => ({ ...(core.endpoints as RegistryEndpoints), snippets: core.snippetTemplates }),
  },
];
