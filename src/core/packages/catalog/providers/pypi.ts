import type { PypiService } from '../../../pypi/pypi-service.js';
import { readRecord, versionMetadataSchema } from '../../../pypi/records.js';
import type { CatalogProvider } from '../provider.js';
import { guardedAction, packageModelProvider } from './package-model.js';

/** PyPI in the Packages section: releases with their wheels and sdists, yank and un-yank (PEP 592). */
export function pypiCatalogProvider(pypi: PypiService): CatalogProvider {
  // Audited by the PyPI service itself, as a yank through the API is.
  const yank = guardedAction('pypi', 'delete', (p, name, { version, message }, ctx) => pypi.setYanked(p, name, version, message ?? '', ctx));
  const unyank = guardedAction('pypi', 'delete', (p, name, { version }, ctx) => pypi.setYanked(p, name, version, null, ctx));
  return packageModelProvider({
    protocol: 'pypi',
    label: 'PyPI',
    kindOf: (filename) => (filename.endsWith('.whl') ? 'wheel' : 'sdist'),
    install: (displayName, version) => `pip install '${displayName}==${version}'`,
    yanked: (metadata) => readRecord(versionMetadataSchema, metadata, 'version').yanked?.reason ?? null,
    actions: { yank, unyank },
  });
}
