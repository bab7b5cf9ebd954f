import type { FastifyInstance } from 'fastify';
import type { ClientSetup } from '../../client/package-managers/client-setup.js';
import type { Core } from '../../core/core.js';
import type { CoreProtocol } from '../../core/protocols.js';

/** What every protocol's mount receives from the composition root (src/server/app.ts). */
export interface MountDeps {
  core: Core;
  publicUrl: URL;
  /** Protocol settings parsed from the configuration (src/server/config.ts). */
  settings: { npmMaxBodyBytes: number };
}

/**
 * One entry of the protocol registry (src/protocols/registry.ts): everything the rest of the product needs
 * to know of a protocol. Core reads the CoreProtocol part (endpoints, token snippets, release artifacts);
 * the server mounts it and keeps the dashboard out of its prefixes; `flyreg setup` writes its client's
 * configuration. See docs/architecture.md, "Adding a protocol".
 */
export interface ProtocolDefinition extends CoreProtocol {
  /** How people call it: "Docker / OCI", "npm", "PyPI". */
  title: string;
  /** URL prefixes it answers under (no trailing slash): the kit mounts its routes under each, the dashboard never answers there. */
  prefixes: readonly string[];
  /** The client `flyreg setup` configures for it. */
  clientSetup: ClientSetup;
  /**
   * Mounts its routes through the kit (kit/mount.ts). Implemented as a dynamic import of the protocol's
   * plugin, so that reading the registry (the CLI does) never loads the HTTP stack.
   */
  mount(app: FastifyInstance, deps: MountDeps): Promise<void>;
}
