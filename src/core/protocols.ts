/**
 * What core needs to know of each protocol. The protocol registry (src/protocols/registry.ts) holds one
 * entry per protocol; the composition root hands that list to createCore, so core never imports the
 * protocols layer and a new protocol never edits core's token, endpoint or release code.
 * See docs/architecture.md, "Adding a protocol".
 */

/** Where clients reach a protocol, as plain strings (URLs, hosts, `.npmrc` keys). */
export type EndpointInfo = Record<string, string>;

/**
 * How a release names a protocol's artifacts. `image`: a repository and a manifest digest (checked against
 * the OCI store); `package`: a name and a version of the package model (checked against the package store
 * under `repository`, after `normalizeName` / `normalizeVersion`, so spellings compare as the protocol stores them).
 */
export type ReleaseArtifactKind =
  | { shape: 'image' }
  | {
      shape: 'package';
      /** The package-store repository (core/packages/model.ts) the protocol keeps its packages in. */
      repository: string;
      normalizeName?(name: string): string;
      normalizeVersion?(version: string): string;
    };

export interface CoreProtocol {
  /** The protocol's id: its release artifact `type`, its grants' `protocol`, its key in answers. */
  id: string;
  /** Where clients reach it, from the public URL: `endpoints[endpoint.key]` of `GET /api/v1/endpoints`. */
  endpoint: { key: string; build(publicUrl: URL): EndpointInfo };
  /** The ready-to-paste client configuration a new token's answer carries, as `snippets[snippet.key]`. */
  snippet: { key: string; build(endpoint: EndpointInfo, username: string, secret: string): string };
  /** How releases name this protocol's artifacts (and so which `type` values a release accepts). */
  artifact: ReleaseArtifactKind;
}
