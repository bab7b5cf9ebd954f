/**
 * What core needs to know of each protocol. The protocol registry (src/protocols/registry.ts) holds one
 * entry per protocol; the composition root hands that list to createCore, so core never imports the
 * protocols layer and a new protocol never edits core's token, endpoint or release code.
 * See docs/architecture.md, "Adding a protocol".
 */

import type { AuditLog } from './audit/audit-log.js';
import type { BlobStore } from './blob-store.js';
import type { Clock } from './clock.js';
import type { InvalidationBus } from './invalidation.js';
import type { MetadataStore } from './ports.js';
import type { PublicationService } from './releases/publications.js';

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

/** One ready-to-paste configuration text, for a token's username and secret. */
export interface ProtocolSnippet {
  key: string;
  build(endpoint: EndpointInfo, username: string, secret: string): string;
}

export interface CoreProtocol {
  /** The protocol's id: its release artifact `type`, its grants' `protocol`, its key in answers. */
  id: string;
  /** Where clients reach it, from the public URL: `endpoints[endpoint.key]` of `GET /api/v1/endpoints`. */
  endpoint: { key: string; build(publicUrl: URL): EndpointInfo };
  /**
   * The ready-to-paste client configurations a new token's answer carries, as `snippets[key]` (one per
   * client of the protocol: Maven has settings.xml, the pom's distributionManagement and Gradle's).
   */
  snippets: readonly ProtocolSnippet[];
  /** How releases name this protocol's artifacts (and so which `type` values a release accepts). */
  artifact: ReleaseArtifactKind;
  /**
   * Builds the protocol's core service from what every protocol shares (a dynamic import, so reading the
   * registry loads no service). createCore builds it once per process, on first use: `core.services.of(…)`.
   */
  service?(deps: ProtocolServiceDeps): Promise<unknown>;
}

/** What every protocol's core service is built from: the shared stores, the clock and core's cross-cutting services. */
export interface ProtocolServiceDeps {
  store: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
  /** Announces package changes to every process's view caches (packages/package-views.ts). */
  invalidations: InvalidationBus;
  /** Who published an artifact, and a CI run's automatic release. */
  publications: PublicationService;
  publicUrl: URL;
}

/** The protocols' core services, each built once per process from the same deps, the same way for all. */
export class ProtocolServices {
  private readonly built = new Map<string, Promise<unknown>>();

  constructor(
    private readonly protocols: readonly CoreProtocol[],
    private readonly deps: ProtocolServiceDeps,
  ) {}

  /** The protocol's service (its definition's `service` decides the type; see protocols/kit/definition.ts). */
  of(id: string): Promise<unknown> {
    let service = this.built.get(id);
    if (!service) {
      const protocol = this.protocols.find((p) => p.id === id);
      if (!protocol?.service) throw new Error(`protocol ${id} has no core service`);
      service = protocol.service(this.deps);
      this.built.set(id, service);
    }
    return service;
  }
}
