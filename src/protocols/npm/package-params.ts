import { NPM_LISTING } from '../../core/npm/npm-registry.js';

/** The package a route's path names: `{pkg}` became `:pkg` or `@:scope/:pkgName` (plugin.ts). */
export function packageNameOf(params: Record<string, string>): string {
  if (params.scope !== undefined) return `@${params.scope}/${params.pkgName ?? ''}`;
  return params.pkg ?? '';
}

/**
 * The resource a route is authorized on: the package it names, or the listing of every package (search,
 * audit: a grant on any package reaches it, and search shows only what the grants allow; core/auth/grants.ts).
 */
export const npmResource = (params: Record<string, string>): string => packageNameOf(params) || NPM_LISTING;
