import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RegistryEndpoints } from '../../api/answers.js';
import type { ClientEnvironment } from '../client-environment.js';
import { writePrivateFile } from '../private-file.js';
import { editDockerConfig, type FileEdit } from './docker-config.js';
import { editNpmrc } from './npmrc.js';
import { editPipConf } from './pip-conf.js';
import { editYarnrc, usesYarnBerry } from './yarnrc.js';

export const PACKAGE_MANAGERS = ['docker', 'npm', 'pip'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The credential a package manager is configured with: a registry token's username and secret. */
export interface TokenCredential {
  username: string;
  secret: string;
}

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
  const also: ConfigPlan['also'] = [];
  if (tool === 'npm' && projectDir !== undefined) {
    const dir = resolve(env.cwd, projectDir);
    const yarnrc = join(dir, '.yarnrc.yml');
    if (usesYarnBerry(readIfExists(join(dir, 'package.json')), existsSync(yarnrc))) {
      also.push({ path: yarnrc, ...editYarnrc(readIfExists(yarnrc), endpoints.npm.registry, credential.secret) });
    }
  }
  const edit = editConfig(tool, readIfExists(path), endpoints, credential);
  // --print and agents see every file's part.
  const fragment = [edit.fragment, ...also.map((a) => `# ${a.path}\n${a.fragment}`)].join('');
  return { tool, path, ...edit, fragment, notes: [...edit.notes, ...also.flatMap((a) => a.notes)], also };
}

/** The fragment alone, as it would go into an empty file, with no file involved. */
export function configFragment(tool: PackageManager, endpoints: RegistryEndpoints, credential: TokenCredential): ConfigPlan {
  return { tool, path: null, ...editConfig(tool, null, endpoints, credential), also: [] };
}

function editConfig(tool: PackageManager, existing: string | null, endpoints: RegistryEndpoints, credential: TokenCredential): FileEdit {
  switch (tool) {
    case 'docker':
      return editDockerConfig(existing, endpoints.docker.registry, credential.username, credential.secret);
    case 'npm':
      return editNpmrc(existing, endpoints.npm.registry, endpoints.npm.authKey, credential.secret);
    case 'pip':
      return editPipConf(existing, indexUrlWithCredentials(endpoints.pypi.indexUrl, credential));
  }
}

/** Writes the planned file (mode 0600: it holds a token). */
export function applyPlan(plan: ConfigPlan): void {
  if (plan.path === null) throw new Error('this configuration is not tied to a local file');
  writePrivateFile(plan.path, plan.content);
  for (const file of plan.also) writePrivateFile(file.path, file.content);
}

export function configPath(tool: PackageManager, env: ClientEnvironment, projectDir?: string): string {
  switch (tool) {
    case 'docker':
      return join(env.dockerConfigDir, 'config.json');
    case 'npm': {
      if (projectDir === undefined) return env.userNpmrc;
      const dir = resolve(env.cwd, projectDir);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`project directory ${dir} does not exist`);
      return join(dir, '.npmrc');
    }
    case 'pip':
      return env.pipConfigFile;
  }
}

/** pip takes Basic credentials inside the index URL. */
function indexUrlWithCredentials(indexUrl: string, credential: TokenCredential): string {
  const url = new URL(indexUrl);
  url.username = credential.username;
  url.password = credential.secret;
  return url.href;
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
