import type { GoModules } from '../../../go/go-modules.js';
import type { CatalogProvider } from '../provider.js';
import { guardedAction, packageModelProvider } from './package-model.js';

/** Go modules in the Packages section: each version's module zip and go.mod. */
export function goCatalogProvider(go: GoModules): CatalogProvider {
  return packageModelProvider({
    protocol: 'go',
    label: 'Go',
    kindOf: (filename) => (filename.endsWith('.mod') ? 'go.mod' : 'zip'),
    install: (module, version) => `go get ${module}@${version}`,
    actions: { delete: guardedAction('go', 'delete', (p, name, { version }, ctx) => go.deleteVersion(p, name, version, ctx)) },
  });
}
