import { authorize, isAllowed } from '../../../auth/authorize.js';
import type { Principal, RequestContext } from '../../../auth/principal.js';
import type { MetadataStore } from '../../../ports.js';
import type { PypiService } from '../../../pypi/pypi-service.js';
import { readRecord, versionMetadataSchema } from '../../../pypi/records.js';
import type { CatalogProvider } from '../provider.js';
import { packageModelDetail } from './package-model.js';

/** PyPI in the Packages section: releases with their wheels and sdists, yank and un-yank (PEP 592). */
export function pypiCatalogProvider(store: MetadataStore, pypi: PypiService): CatalogProvider {
  const setYanked = async (p: Principal, name: string, version: string, reason: string | null, ctx: RequestContext) => {
    // Audited by the PyPI service itself, as a yank through the API is.
    await pypi.setYanked(p, name, version, reason, ctx);
  };
  const mayYank = (p: Principal, name: string) => isAllowed(p, 'delete', { kind: 'artifact', protocol: 'pypi', name });
  return {
    protocol: 'pypi',
    authorizeView: (p, name) => authorize(p, 'pull', { kind: 'artifact', protocol: 'pypi', name }),
    label: 'PyPI',
    page: (s, query) => s.catalog.packagePage('pypi', query),
    detail: (s, name) =>
      packageModelDetail(s, 'pypi', name, {
        kindOf: (filename) => (filename.endsWith('.whl') ? 'wheel' : 'sdist'),
        install: (displayName, version) => `pip install '${displayName}==${version}'`,
        yanked: (metadata) => readRecord(versionMetadataSchema, metadata, 'version').yanked?.reason ?? null,
      }),
    actions: {
      yank: { allowed: mayYank, run: (p, name, { version, message }, ctx) => setYanked(p, name, version, message ?? '', ctx) },
      unyank: { allowed: mayYank, run: (p, name, { version }, ctx) => setYanked(p, name, version, null, ctx) },
    },
  };
}
