import type { Core } from '../../core.js';
import type { OciRegistry } from '../../oci/registry.js';
import { PackageCatalog } from './catalog-service.js';
import { cargoCatalogProvider } from './providers/cargo.js';
import { genericCatalogProvider } from './providers/generic.js';
import { goCatalogProvider } from './providers/go.js';
import { helmCatalogProvider } from './providers/helm.js';
import { mavenCatalogProvider } from './providers/maven.js';
import { npmCatalogProvider } from './providers/npm.js';
import { ociCatalogProvider } from './providers/oci.js';
import { pypiCatalogProvider } from './providers/pypi.js';

/** The Packages section over every protocol this server mounts: one provider each (add new ones here). */
export function createPackageCatalog(core: Core, registry: OciRegistry): PackageCatalog {
  const docker = core.endpoints.docker;
  const registryHost = typeof docker === 'object' ? (docker.registry ?? '') : '';
  return new PackageCatalog(core.store, [
    ociCatalogProvider(core.store, registry.manifests, registryHost),
    npmCatalogProvider(core.store, core.npm),
    pypiCatalogProvider(core.pypi),
    mavenCatalogProvider(core.maven),
    genericCatalogProvider(core.generic),
    goCatalogProvider(core.go),
    helmCatalogProvider(core.helm),
    cargoCatalogProvider(core.cargo),
  ]);
}
