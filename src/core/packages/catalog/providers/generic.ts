import type { GenericFiles } from '../../../generic/generic-files.js';
import type { CatalogProvider } from '../provider.js';
import { extensionKind, guardedAction, packageModelProvider } from './package-model.js';

/** Generic files in the Packages section: a name's versions and the files each holds. */
export function genericCatalogProvider(generic: GenericFiles): CatalogProvider {
  return packageModelProvider({
    protocol: 'generic',
    label: 'Generic files',
    kindOf: extensionKind,
    install: (name, version) => `flyreg download ${name}@${version}`,
    actions: { delete: guardedAction('generic', 'delete', (p, name, { version }, ctx) => generic.deleteVersion(p, name, version, ctx)) },
  });
}
