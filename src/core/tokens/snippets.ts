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

/** Ready-to-paste client configuration for a token, one snippet per protocol, built from the public URL. */
export function clientSnippets(publicUrl: URL, protocols: readonly CoreProtocol[], username: string, secret: string): Record<string, string> {
  const snippets: Record<string, string> = {};
  for (const p of protocols) snippets[p.snippet.key] = p.snippet.build(p.endpoint.build(publicUrl), username, secret);
  return snippets;
}
