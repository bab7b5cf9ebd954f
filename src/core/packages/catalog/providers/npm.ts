import { authorize, isAllowed } from '../../../auth/authorize.js';
import type { Principal, RequestContext } from '../../../auth/principal.js';
import { Errors } from '../../../errors.js';
import type { NpmRegistry } from '../../../npm/npm-registry.js';
import { readPackageState } from '../../../npm/package-state.js';
import type { MetadataStore } from '../../../ports.js';
import type { CatalogProvider } from '../provider.js';
import { packageModelDetail } from './package-model.js';

const artifact = (name: string) => ({ kind: 'artifact', protocol: 'npm', name }) as const;

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
  return {
    protocol: 'npm',
    authorizeView: (p, name) => authorize(p, 'pull', { kind: 'artifact', protocol: 'npm', name }),
    label: 'npm',
    page: (s, query) => s.catalog.packagePage('npm', query),
    detail: (s, name) =>
      packageModelDetail(s, 'npm', name, {
        kindOf: () => 'tarball',
        install: (displayName, version) => `npm install ${displayName}@${version}`,
        deprecated: (metadata, version) => readPackageState(metadata).deprecated[version] ?? null,
      }),
    actions: {
      delete: {
        allowed: (p, name) => isAllowed(p, 'delete', artifact(name)),
        run: (p, name, { version }, ctx) => {
          authorize(p, 'delete', artifact(name));
          return update(p, name, { remove: version }, ctx);
        },
      },
      deprecate: {
        allowed: (p, name) => isAllowed(p, 'push', artifact(name)),
        run: (p, name, { version, message }, ctx) => {
          authorize(p, 'push', artifact(name));
          if (!message?.trim()) throw Errors.validation('Say why this version is deprecated: npm shows the message on every install', [{ path: 'message', message: 'required' }]);
          return update(p, name, { deprecate: { version, message } }, ctx);
        },
      },
      undeprecate: {
        allowed: (p, name) => isAllowed(p, 'push', artifact(name)),
        run: (p, name, { version }, ctx) => {
          authorize(p, 'push', artifact(name));
          return update(p, name, { deprecate: { version, message: '' } }, ctx);
        },
      },
    },
  };
}
