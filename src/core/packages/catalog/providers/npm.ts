import type { Principal, RequestContext } from '../../../auth/principal.js';
import { Errors } from '../../../errors.js';
import type { NpmRegistry } from '../../../npm/npm-registry.js';
import { readPackageState } from '../../../npm/package-state.js';
import type { MetadataStore } from '../../../ports.js';
import type { CatalogProvider } from '../provider.js';
import { guardedAction, packageModelProvider } from './package-model.js';

/**
 * npm in the Packages section. Its changes go through npm's own update (the one npm deprecate and npm
 * unpublish use), so the packument, its revision, the cache and the audit entry behave exactly as there.
 */
export function npmCatalogProvider(store: MetadataStore, npm: NpmRegistry): CatalogProvider {
  /** Sends npm's update with every version kept except `without`, and `deprecated` set on `version`. */
  const update = async (principal: Principal, name: string, edit: { remove?: string; deprecate?: { version: string; message: string } }, ctx: RequestContext) => {
    const loaded = await store.packages.load('npm', name);
    if (!loaded) throw Errors.notFound('Package', name);
    const version = edit.remove ?? edit.deprecate?.version ?? '';
    if (!loaded.versions.some((v) => v.version === version)) throw Errors.notFound('Version', `${name}@${version}`);
    const versions: Record<string, { deprecated?: string }> = {};
    for (const v of loaded.versions) if (v.version !== edit.remove) versions[v.version] = {};
    if (edit.deprecate) versions[edit.deprecate.version] = { deprecated: edit.deprecate.message };
    await npm.update(principal, name, null, JSON.stringify({ versions }), ctx);
  };
  return packageModelProvider({
    protocol: 'npm',
    label: 'npm',
    kindOf: () => 'tarball',
    install: (displayName, version) => `npm install ${displayName}@${version}`,
    deprecated: (metadata, version) => readPackageState(metadata).deprecated[version] ?? null,
    actions: {
      delete: guardedAction('npm', 'delete', (p, name, { version }, ctx) => update(p, name, { remove: version }, ctx)),
      deprecate: guardedAction('npm', 'push', (p, name, { version, message }, ctx) => {
        if (!message?.trim()) throw Errors.validation('Say why this version is deprecated: npm shows the message on every install', [{ path: 'message', message: 'required' }]);
        return update(p, name, { deprecate: { version, message } }, ctx);
      }),
      undeprecate: guardedAction('npm', 'push', (p, name, { version }, ctx) => update(p, name, { deprecate: { version, message: '' } }, ctx)),
    },
  });
}
