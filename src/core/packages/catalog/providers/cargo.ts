import { readVersionMetadata, type Crates } from '../../../cargo/crates.js';
import type { CatalogProvider } from '../provider.js';
import { guardedAction, packageModelProvider } from './package-model.js';

/** The name `flyreg setup cargo` and the Cargo snippet give this registry on the client. */
const REGISTRY_ALIAS = 'fly';

/** Cargo crates in the Packages section: versions with their .crate, yank and un-yank (as `cargo yank`). */
export function cargoCatalogProvider(crates: Crates): CatalogProvider {
  return packageModelProvider({
    protocol: 'cargo',
    label: 'Cargo',
    kindOf: () => 'crate',
    install: (crate, version) => `cargo add ${crate}@${version} --registry ${REGISTRY_ALIAS}`,
    // Cargo keeps no reason for a yank: the page shows that it is yanked.
    yanked: (metadata) => (readVersionMetadata(metadata).yanked ? 'yanked' : null),
    actions: {
      yank: guardedAction('cargo', 'push', (p, name, { version }, ctx) => crates.setYanked(p, name, version, true, ctx)),
      unyank: guardedAction('cargo', 'push', (p, name, { version }, ctx) => crates.setYanked(p, name, version, false, ctx)),
    },
  });
}
