import type { Charts } from '../../../helm/charts.js';
import type { CatalogProvider } from '../provider.js';
import { guardedAction, packageModelProvider } from './package-model.js';

/** The name `flyreg setup helm` and the Helm snippet give this repository on the client. */
const REPOSITORY_ALIAS = 'fly';

/** Helm charts in the Packages section: each chart's versions (one .tgz archive each). */
export function helmCatalogProvider(charts: Charts): CatalogProvider {
  return packageModelProvider({
    protocol: 'helm',
    label: 'Helm',
    kindOf: () => 'chart',
    install: (chart, version) => `helm pull ${REPOSITORY_ALIAS}/${chart} --version ${version}`,
    actions: { delete: guardedAction('helm', 'delete', (p, name, { version }, ctx) => charts.deleteVersion(p, name, version, ctx)) },
  });
}
