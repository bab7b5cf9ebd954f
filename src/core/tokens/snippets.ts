import type { CoreProtocol, EndpointInfo } from '../protocols.js';

/**
 * Where each client reaches this registry, derived from the public URL in this one place from the
 * protocol registry's entries: the token snippets below and `GET /api/v1/endpoints` (which `flyreg setup`
 * reads) both use it.
 */
export type RegistryEndpoints = { publicUrl: string } & Record<string, EndpointInfo | string>;

export function registryEndpoints(publicUrl: URL, protocols: readonly CoreProtocol[]): RegistryEndpoints {
  const endpoints: RegistryEndpoints = { publicUrl: publicUrl.href.replace(/\/$/, '') };
  for (const p of protocols) endpoints[p.endpoint.key] = p.endpoint.build(publicUrl);
  return endpoints;
}

/** The public URL without its trailing slash, and its path (for URLs and keys built under it). */
export function publicBase(publicUrl: URL): { base: string; basePath: string } {
  return { base: publicUrl.href.replace(/\/$/, ''), basePath: publicUrl.pathname.replace(/\/$/, '') };
}

/** Ready-to-paste client configuration for a token, every protocol's snippets, built from the public URL. */
export function clientSnippets(publicUrl: URL, protocols: readonly CoreProtocol[], username: string, secret: string): Record<string, string> {
  const snippets: Record<string, string> = {};
  for (const p of protocols) {
    const endpoint = p.endpoint.build(publicUrl);
    for (const snippet of p.snippets) snippets[snippet.key] = snippet.build(endpoint, username, secret);
  }
  return snippets;
}

/** The placeholders GET /api/v1/endpoints shows where a token's username and secret go. */
export const SNIPPET_PLACEHOLDERS = { username: '<token username>', secret: '<token>' } as const;

/** Every protocol's snippets with placeholders for the credential: what a client needs before it holds a token. */
export function snippetTemplates(publicUrl: URL, protocols: readonly CoreProtocol[]): Record<string, string> {
  return clientSnippets(publicUrl, protocols, SNIPPET_PLACEHOLDERS.username, SNIPPET_PLACEHOLDERS.secret);
}
