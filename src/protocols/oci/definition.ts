import { join } from 'node:path';
import { editDockerConfig } from '../../client/package-managers/docker-config.js';
import { OCI_PROTOCOL } from '../../core/oci/scopes.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** Docker / OCI images: the Distribution API at the host root (Docker requires `/v2/` there). */
export const ociProtocol: ProtocolDefinition = {
  id: OCI_PROTOCOL,
  title: 'Docker / OCI',
  prefixes: ['/v2'],
  // Docker names a registry by its host, in image references and in config.json `auths`.
  endpoint: { key: 'docker', build: (publicUrl) => ({ registry: publicUrl.host }) },
  snippets: [
    {
      key: 'dockerLogin',
      build: (endpoint, username, secret) => `echo '${secret}' | docker login ${endpoint.registry ?? ''} --username ${username} --password-stdin`,
    },
  ],
  artifact: { shape: 'image' },
  clientSetup: {
    tool: 'docker',
    configPath: (env) => join(env.dockerConfigDir, 'config.json'),
    edit: (existing, endpoints, credential) => editDockerConfig(existing, endpoints.docker.registry, credential.username, credential.secret),
  },
  mount: async (app, deps) => (await import('./plugin.js')).ociPlugin(app, deps),
  routes: async () => (await import('./routes.js')).OCI_ROUTES,
};
