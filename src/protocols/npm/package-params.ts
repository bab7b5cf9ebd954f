/** The package a route's path names: `{pkg}` became `:pkg` or `@:scope/:pkgName` (plugin.ts). */
export function packageNameOf(params: Record<string, string>): string {
  if (params.scope !== undefined) return `@${params.scope}/${params.pkgName ?? ''}`;
  return params.pkg ?? '';
}

/** The resource a route is authorized on: the package it names, or every package (`*`: search, audit). */
export const npmResource = (params: Record<string, string>): string => packageNameOf(params) || '*';
