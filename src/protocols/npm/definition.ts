import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { editNpmrc } from '../../client/package-managers/npmrc.js';
import { editYarnrc, usesYarnBerry } from '../../client/package-managers/yarnrc.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/npm` is its short alias. */
const NPM_PATH = '/artifactory/api/npm/npm';

/** npm packages, one registry answering under both prefixes (one packument cache). */
export const npmProtocol: ProtocolDefinition = {
  id: 'npm',
  title: 'npm',
  prefixes: [NPM_PATH, '/npm'],
  endpoint: {
    key: 'npm',
    build(publicUrl) {
      const { base, basePath } = publicBase(publicUrl);
      // `authKey` is the `.npmrc` key prefix this registry's credentials sit under.
      return { registry: `${base}${NPM_PATH}/`, authKey: `//${publicUrl.host}${basePath}${NPM_PATH}/` };
    },
  },
  snippets: [
    {
      key: 'npmrc',
      // always-auth: Yarn 1 reads .npmrc and otherwise sends the token only for scoped packages.
      build: (endpoint, _username, secret) =>
        `registry=${endpoint.registry ?? ''}\n${endpoint.authKey ?? ''}:_authToken=${secret}\n${endpoint.authKey ?? ''}:always-auth=true\n`,
    },
  ],
  artifact: { shape: 'package', repository: 'npm' },
  clientSetup: {
    tool: 'npm',
    configPath(env, projectDir) {
      if (projectDir === undefined) return env.userNpmrc;
      const dir = resolve(env.cwd, projectDir);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`project directory ${dir} does not exist`);
      return join(dir, '.npmrc');
    },
    edit: (existing, endpoints, credential) => editNpmrc(existing, endpoints.npm.registry, endpoints.npm.authKey, credential.secret),
    // Yarn 4 ignores .npmrc: a project that uses it gets its .yarnrc.yml written too.
    alsoEdit(env, projectDir, read) {
      if (projectDir === undefined) return [];
      const dir = resolve(env.cwd, projectDir);
      const yarnrc = join(dir, '.yarnrc.yml');
      if (!usesYarnBerry(read(join(dir, 'package.json')), read(yarnrc) !== null)) return [];
      return [{ path: yarnrc, edit: (existing, endpoints, credential) => editYarnrc(existing, endpoints.npm.registry, credential.secret) }];
    },
  },
  mount: async (app, deps) => (await import('./plugin.js')).npmPlugin(app, deps),
  routes: async () => (await import('./routes.js')).NPM_ROUTES,
};
