import type { RegistryEndpoints } from '../../api/answers.js';
import type { ClientEnvironment } from '../client-environment.js';
import type { FileEdit } from './docker-config.js';

/** The credential a package manager is configured with: a registry token's username and secret. */
export interface TokenCredential {
  username: string;
  secret: string;
}

/**
 * How `flyreg setup <tool>` (and the agent's configure_package_manager) configures one protocol's client:
 * each protocol's registry entry (src/protocols/registry.ts) names one. Writers never touch files: they
 * say where the file is and compute its new content; configure.ts reads and writes.
 */
export interface ClientSetup {
  /** The `flyreg setup` argument: docker, npm, pip… */
  tool: string;
  /** The configuration file on this machine (`projectDir`: the project to configure, where the client has one). */
  configPath(env: ClientEnvironment, projectDir?: string): string;
  /** The file's new content, from its current content (null: no file yet) and where the server says the client should point. */
  edit(existing: string | null, endpoints: RegistryEndpoints, credential: TokenCredential): FileEdit;
  /**
   * Further files the same client reads in this setup (a Yarn 4 project's .yarnrc.yml beside its .npmrc),
   * each with its own editor. `read` gives a file's current content (null: none); nothing is written here.
   */
  alsoEdit?(env: ClientEnvironment, projectDir: string | undefined, read: (path: string) => string | null): AlsoEdit[];
}

/** A further file of a client's setup and how its content changes. */
export interface AlsoEdit {
  path: string;
  edit(existing: string | null, endpoints: RegistryEndpoints, credential: TokenCredential): FileEdit;
}
