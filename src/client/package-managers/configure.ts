import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryEndpoints } from '../../api/answers.js';
import { PROTOCOLS, protocolForTool } from '../../protocols/registry.js';
import type { ClientEnvironment } from '../client-environment.js';
import { writePrivateFile } from '../private-file.js';
import type { TokenCredential } from './client-setup.js';
import { editCredHelpers, type FileEdit } from './docker-config.js';

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
  /** Further files the same tool reads (a Yarn 4 project's .yarnrc.yml beside its .npmrc). */
  also: (FileEdit & { path: string })[];
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
  const further = protocolForTool(tool).clientSetup.alsoEdit?.(env, projectDir, readIfExists) ?? [];
  const also: ConfigPlan['also'] = further.map((file) => ({ path: file.path, ...file.edit(readIfExists(file.path), endpoints, credential) }));
  const edit = editConfig(tool, readIfExists(path), endpoints, credential);
  // --print and agents see every file's part.
  const fragment = [edit.fragment, ...also.map((a) => `# ${a.path}\n${a.fragment}`)].join('');
  return { tool, path, ...edit, fragment, notes: [...edit.notes, ...also.flatMap((a) => a.notes)], also };
}

/** The helper's name as Docker spells it: `docker-credential-<name>` is the program it runs. */
export const CREDENTIAL_HELPER = 'flyreg';

/**
 * `flyreg setup docker --helper`: registers docker-credential-flyreg for the registry in Docker's
 * config.json and in the containers auth.json (podman, buildah, skopeo), removing stored secrets for it.
 */
export function planCredentialHelper(endpoints: RegistryEndpoints, env: ClientEnvironment): ConfigPlan[] {
  const files: [string, string][] = [
    [join(env.dockerConfigDir, 'config.json'), 'Docker config.json'],
    [env.containersAuthFile, 'containers auth.json'],
  ];
  return files.map(([path, what]) => ({ tool: 'docker', path, ...editCredHelpers(readIfExists(path), endpoints.docker.registry, CREDENTIAL_HELPER, what), also: [] }));
}

/** The fragment alone, as it would go into an empty file, with no file involved. */
export function configFragment(tool: PackageManager, endpoints: RegistryEndpoints, credential: TokenCredential): ConfigPlan {
  return { tool, path: null, ...editConfig(tool, null, endpoints, credential), also: [] };
}

function editConfig(tool: PackageManager, existing: string | null, endpoints: RegistryEndpoints, credential: TokenCredential): FileEdit {
  return protocolForTool(tool).clientSetup.edit(existing, endpoints, credential);
}

/** Writes the planned file (mode 0600: it holds a token). */
export function applyPlan(plan: ConfigPlan): void {
  if (plan.path === null) throw new Error('this configuration is not tied to a local file');
  writePrivateFile(plan.path, plan.content);
  for (const file of plan.also) writePrivateFile(file.path, file.content);
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
