import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { CliContext } from '../../cli/context.js';
import type { ClientSetup } from '../../client/package-managers/client-setup.js';
import type { Core } from '../../core/core.js';
import type { CatalogProvider } from '../../core/packages/catalog/provider.js';
import type { CoreProtocol, ProtocolServiceDeps } from '../../core/protocols.js';
import type { ProtocolRoute } from './route.js';

/** What every protocol's mount receives from the composition root (src/server/app.ts). */
export interface MountDeps {
  core: Core;
  publicUrl: URL;
  /** Protocol settings parsed from the configuration (src/server/config.ts). */
  settings: { npmMaxBodyBytes: number };
}

/** A route table row as read without serving it: its method, its path (its router's syntax) and where it answers. */
export type RouteShape = Pick<ProtocolRoute<never, never>, 'method' | 'path' | 'prefixes'>;

/**
 * One entry of the protocol registry (src/protocols/registry.ts): everything the rest of the product needs
 * to know of a protocol. Core reads the CoreProtocol part (endpoints, token snippets, release artifacts);
 * the server mounts it and keeps the dashboard out of its prefixes; `flyreg setup` writes its client's
 * configuration. See docs/architecture.md, "Adding a protocol".
 */
export interface ProtocolDefinition<S = unknown> extends CoreProtocol {
  /** Its core service, built by createCore once per process (`protocolService(core, definition)` in its plugin). */
  service?(deps: ProtocolServiceDeps): Promise<S>;
  /** How people call it: "Docker / OCI", "npm", "PyPI". */
  title: string;
  /** URL prefixes it answers under (no trailing slash): the kit mounts its routes under each, the dashboard never answers there. */
  prefixes: readonly string[];
  /** The client `flyreg setup` configures for it. */
  clientSetup: ClientSetup;
  /**
   * Its own `flyreg` commands beyond setup (`flyreg go publish`, `flyreg upload`), as a dynamic import of
   * their register function, so the server never loads them. The CLI registers every protocol's.
   */
  cliCommands?(): Promise<(program: Command, cli: CliContext) => void>;
  /**
   * Mounts its routes through the kit (kit/mount.ts). Implemented as a dynamic import of the protocol's
   * plugin, so that reading the registry (the CLI does) never loads the HTTP stack.
   */
  mount(app: FastifyInstance, deps: MountDeps): Promise<void>;
  /**
   * The route table `mount` serves (its routes.ts), as a dynamic import like `mount`, for what reads the
   * routes without serving them: the seeded fuzz test (test/hardening/fuzz.test.ts) reaches every route of
   * every protocol from it, so a new protocol is fuzzed without anyone listing its paths.
   */
  routes(): Promise<readonly RouteShape[]>;
  /**
   * Its entries in the dashboard's Packages section (core/packages/catalog/providers/), over its core
   * service; a dynamic import like `mount`. OCI, npm and PyPI, which core builds by name, have theirs in
   * create-catalog.ts.
   */
  catalog?(service: S): Promise<CatalogProvider>;
}

/** The Packages section's providers of every protocol whose definition has one (the composition root calls it). */
export async function definedCatalogProviders(core: Core, definitions: readonly ProtocolDefinition<unknown>[]): Promise<CatalogProvider[]> {
  const providers: CatalogProvider[] = [];
  for (const definition of definitions) {
    if (definition.catalog) providers.push(await definition.catalog(await protocolService(core, definition)));
  }
  return providers;
}

/** A protocol's core service, typed by its definition. */
export function protocolService<S>(core: Core, definition: ProtocolDefinition<S>): Promise<S> {
  return core.services.of(definition.id) as Promise<S>;
}

/** What the kit's mount takes from a protocol's definition: its id (for grants), its title, its prefixes. */
export function mountedAs(definition: ProtocolDefinition<unknown>): { protocol: string; title: string; prefixes: readonly string[] } {
  return { protocol: definition.id, title: definition.title, prefixes: definition.prefixes };
}
