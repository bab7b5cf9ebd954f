import { join } from 'node:path';
import { editCargoConfig } from '../../client/package-managers/cargo-config.js';
import { normalizeCrateName } from '../../core/cargo/names.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { Crates } from '../../core/cargo/crates.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/cargo` is its short alias. */
const MOUNT = '/artifactory/api/cargo/cargo';

/** The name cargo's configuration gives this registry (snippet and `flyreg setup cargo`). */
const REGISTRY_NAME = 'fly';

/** Cargo crates: a sparse registry with publish, yank and downloads, every request authenticated. */
export const cargoProtocol: ProtocolDefinition<Crates> = {
  id: 'cargo',
  title: 'Cargo',
  prefixes: [MOUNT, '/cargo'],
  endpoint: { key: 'cargo', build: (publicUrl) => ({ index: `sparse+${publicBase(publicUrl).base}${MOUNT}/index/` }) },
  snippets: [
    {
      key: 'cargoConfig',
      build: (endpoint, _username, secret) => editCargoConfig(null, REGISTRY_NAME, endpoint.index ?? '', secret).fragment,
    },
  ],
  artifact: { shape: 'package', repository: 'cargo', normalizeName: normalizeCrateName },
  clientSetup: {
    tool: 'cargo',
    // CARGO_HOME, else ~/.cargo, as cargo reads it.
    configPath: (env) => join(env.vars.CARGO_HOME || join(env.home, '.cargo'), 'config.toml'),
    edit: (existing, endpoints, credential) => editCargoConfig(existing, REGISTRY_NAME, endpoints.cargo.index, credential.secret),
  },
  service: async (deps) => {
    const m = await import('../../core/cargo/crates.js');
    return new m.Crates(deps);
  },
  catalog: async (service) => (await import('../../core/packages/catalog/providers/cargo.js')).cargoCatalogProvider(service),
  mount: async (app, deps) => (await import('./plugin.js')).cargoPlugin(app, deps),
  routes: async () => (await import('./routes.js')).CARGO_ROUTES,
};
