import type { Core } from '../../core.js';
import type { OciRegistry } from '../../oci/registry.js';
import type { CatalogProvider } from './provider.js';
import { PackageCatalog } from './catalog-service.js';
import { npmCatalogProvider } from './providers/npm.js';
import { ociCatalogProvider } from './providers/oci.js';
import { pypiCatalogProvider } from './providers/pypi.js';

/**
 * The Packages section over every protocol this server mounts: one provider each. OCI, npm and PyPI are
 * core's own services; every other protocol's provider comes from its definition (`catalog`), as `more`.
 */
export function createPackageCatalog(core: Core, registry: OciRegistry, more: readonly CatalogProvider[]): PackageCatalog {
  const docker = core.endpoints.docker;
  const registryHost = typeof docker === 'object' ? (docker.registry ?? '') : '';
  return new PackageCatalog(core.store, [
    ociCatalogProvider(core.store, registry.manifests, registryHost),
    npmCatalogProvider(core.store, core.npm),
    pypiCatalogProvider(core.pypi),
    ...more,
  ]);
}
