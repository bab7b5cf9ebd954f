import { join } from 'node:path';
import { editHelmRepositories } from '../../client/package-managers/helm-repositories.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { Charts } from '../../core/helm/charts.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/helm` is its short alias. */
const MOUNT = '/artifactory/api/helm/helm';

/** The name helm's configuration gives this registry (snippet and `flyreg setup helm`). */
const REPOSITORY_NAME = 'fly';

/** Helm charts: a chart repository (index.yaml); `helm push oci://` goes to the OCI registry. */
export const helmProtocol: ProtocolDefinition<Charts> = {
  id: 'helm',
  title: 'Helm',
  prefixes: [MOUNT, '/helm'],
  endpoint: { key: 'helm', build: (publicUrl) => ({ repository: `${publicBase(publicUrl).base}${MOUNT}`, ociRegistry: publicUrl.host }) },
  snippets: [
    {
      key: 'helmRepoAdd',
      build: (endpoint, username, secret) =>
        `echo '${secret}' | helm repo add ${REPOSITORY_NAME} ${endpoint.repository ?? ''} --username ${username} --password-stdin\n` +
        `echo '${secret}' | helm registry login ${endpoint.ociRegistry ?? ''} --username ${username} --password-stdin`,
    },
  ],
  artifact: { shape: 'package', repository: 'helm' },
  clientSetup: {
    tool: 'helm',
    // HELM_REPOSITORY_CONFIG, else $HELM_CONFIG_HOME (or $XDG_CONFIG_HOME/helm)/repositories.yaml, as helm reads it.
    configPath: (env) => env.vars.HELM_REPOSITORY_CONFIG || join(env.vars.HELM_CONFIG_HOME || join(env.xdgConfigHome, 'helm'), 'repositories.yaml'),
    edit: (existing, endpoints, credential) => editHelmRepositories(existing, REPOSITORY_NAME, endpoints.helm.repository, credential.username, credential.secret),
  },
  service: async (deps) => {
    const m = await import('../../core/helm/charts.js');
    return new m.Charts(deps);
  },
  catalog: async (service) => (await import('../../core/packages/catalog/providers/helm.js')).helmCatalogProvider(service),
  mount: async (app, deps) => (await import('./plugin.js')).helmPlugin(app, deps),
  routes: async () => (await import('./routes.js')).HELM_ROUTES,
};
