import { readFileSync } from 'node:fs';
import type { RegistryEndpoints } from '../../api/answers.js';
import { PROTOCOLS, protocolForTool } from '../../protocols/registry.js';
import type { ClientEnvironment } from '../client-environment.js';
import { writePrivateFile } from '../private-file.js';
import type { TokenCredential } from './client-setup.js';
import type { FileEdit } from './docker-config.js';

export type { TokenCredential } from './client-setup.js';

/** The clients `flyreg setup` configures: one per protocol of the protocol registry (docker, npm, pip). */
export const PACKAGE_MANAGERS = PROTOCOLS.map((p) => p.clientSetup.tool) as [string, ...string[]];
export type PackageManager = string;

/**
 * One client's configuration: which file, its new content, and the part that concerns this registry.
 * `path` is null when the plan is not tied to a file on this machine (the server's /mcp answers with the
 * fragment only: it must never read or write files on the server for a remote agent).
 */
export interface ConfigPlan extends FileEdit {
  tool: PackageManager;
  path: string | null;
}

/**
 * Works out the configuration for one package manager from the registry's endpoints (as the server
 * reports them) and the file as it is now. Nothing is written: see applyPlan.
 */
export function planConfig(
  tool: PackageManager,
  endpoints: RegistryEndpoints,
  credential: TokenCredential,
  env: ClientEnvironment,
  projectDir?: string,
): ConfigPlan {
  const path = configPath(tool, env, projectDir);
  return { tool, path, ...editConfig(tool, readIfExists(path), endpoints, credential) };
}

/** The fragment alone, as it would go into an empty file, with no file involved. */
export function configFragment(tool: PackageManager, endpoints: RegistryEndpoints, credential: TokenCredential): ConfigPlan {
  return { tool, path: null, ...editConfig(tool, null, endpoints, credential) };
}

function editConfig(tool: PackageManager, existing: string | null, endpoints: RegistryEndpoints, credential: TokenCredential): FileEdit {
  return protocolForTool(tool).clientSetup.edit(existing, endpoints, credential);
}

/** Writes the planned file (mode 0600: it holds a token). */
export function applyPlan(plan: ConfigPlan): void {
  if (plan.path === null) throw new Error('this configuration is not tied to a local file');
  writePrivateFile(plan.path, plan.content);
}

export function configPath(tool: PackageManager, env: ClientEnvironment, projectDir?: string): string {
  return protocolForTool(tool).clientSetup.configPath(env, projectDir);
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
