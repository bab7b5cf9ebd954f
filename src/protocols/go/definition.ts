import { editNetrc } from '../../client/package-managers/netrc.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { GoModules } from '../../core/go/go-modules.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/go` is its short alias. */
const MOUNT = '/artifactory/api/go/go';

/**
 * Go modules (the GOPROXY protocol). The snippet: our proxy, no public checksum database for what it
 * serves (GONOSUMDB; go.sum still pins every hash), and the .netrc line `go` authenticates with
 * (GOAUTH=netrc is its default; it sends .netrc credentials over HTTPS only, matching host:port).
 */
export const goProtocol: ProtocolDefinition<GoModules> = {
  id: 'go',
  title: 'Go modules',
  prefixes: [MOUNT, '/go'],
  endpoint: {
    key: 'go',
    build: (publicUrl) => ({ proxy: `${publicBase(publicUrl).base}${MOUNT}`, netrcMachine: `${publicUrl.host}${publicBase(publicUrl).basePath}` }),
  },
  snippets: [
    {
      key: 'goEnv',
      build: (endpoint, username, secret) =>
        [
          `export GOPROXY=${endpoint.proxy ?? ''}`,
          "export GONOSUMDB='*'",
          'export GOFLAGS=-mod=mod',
          '# ~/.netrc (go sends it over HTTPS only):',
          `# machine ${endpoint.netrcMachine ?? ''} login ${username} password ${secret}`,
        ].join('\n'),
    },
  ],
  artifact: { shape: 'package', repository: 'go' },
  clientSetup: {
    tool: 'go',
    configPath: (env) => env.netrcFile,
    edit: (existing, endpoints, credential) => {
      const edit = editNetrc(existing, endpoints.go.netrcMachine, credential.username, credential.secret);
      edit.notes.push(`then: go env -w GOPROXY=${endpoints.go.proxy} GONOSUMDB='*' (go sends .netrc credentials over HTTPS only)`);
      return edit;
    },
  },
  service: async (deps) => {
    const m = await import('../../core/go/go-modules.js');
    return new m.GoModules(deps);
  },
  cliCommands: async () => (await import('../../cli/commands/go.js')).registerGo,
  catalog: async (service) => (await import('../../core/packages/catalog/providers/go.js')).goCatalogProvider(service),
  mount: async (app, deps) => (await import('./plugin.js')).goPlugin(app, deps),
  routes: async () => (await import('./routes.js')).GO_ROUTES,
};
