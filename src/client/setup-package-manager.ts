import type { CreatedToken, Permission, Whoami } from '../api/answers.js';
import type { ClientEnvironment } from './client-environment.js';
import { parseExpiry } from './expiry.js';
import { defaultExpiry, defaultPermission } from './token-defaults.js';
import { configFragment, planConfig, type ConfigPlan, type PackageManager } from './package-managers/configure.js';
import type { RegistryClient } from './registry-client.js';

export interface SetupOptions {
  /** Scope the new token to this runtime environment (its tokens default to read-only). */
  environment?: string;
  /** Use this existing token instead of creating one. */
  secret?: string;
  permission?: Permission;
  /** ISO time or null (never); default: token-defaults.ts (30 days, never for an environment token). */
  expiresAt?: string | null;
  /** Write the project's .npmrc in this directory instead of the user's. */
  projectDir?: string;
  /** Only show the configuration: create no token (placeholders stand for it unless `secret` is given). */
  preview?: boolean;
}

export interface SetupResult {
  plan: ConfigPlan;
  /** The token the configuration uses; `created` is set when setup made it (its secret is in the plan); null for a preview. */
  token: { id: string; name: string; username: string; permission: Permission; created: boolean } | null;
}

/** Where the configuration goes: this machine's files, or (files: null) only a fragment to hand back. */
export interface SetupTarget {
  /** Names the token: the local hostname, or what a remote agent says it is. */
  machineName: string;
  files: ClientEnvironment | null;
}

/** `<machine>-<tool>` (plus the environment): tells on the token list which machine holds which token. */
export function setupTokenName(machineName: string, tool: PackageManager, environment?: string): string {
  const machine = machineName.split('.')[0] || 'localhost';
  return environment ? `${machine}-${tool}-${environment}` : `${machine}-${tool}`;
}

/**
 * What `flyreg setup` and the agent's configure_package_manager do: find or create the token, ask the
 * server where the client should point, and plan the client's configuration file (not written here).
 * `verifyToken` checks a given secret and tells whose it is (whoami with that secret).
 */
export async function prepareSetup(
  client: RegistryClient,
  verifyToken: (secret: string) => Promise<Whoami>,
  target: SetupTarget,
  tool: PackageManager,
  options: SetupOptions,
): Promise<SetupResult> {
  const endpoints = await client.endpoints();
  const plan = (credential: { username: string; secret: string }) =>
    target.files ? planConfig(tool, endpoints, credential, target.files, options.projectDir) : configFragment(tool, endpoints, credential);
  // A dry run first: an unreadable config or a missing project directory fails before a token exists.
  plan({ username: 'dry-run', secret: 'dry-run' });
  let token: NonNullable<SetupResult['token']>;
  let secret: string;
  if (options.preview && options.secret === undefined) {
    // Nothing is created: the printed configuration names where the token goes.
    return { plan: plan({ username: '<token username>', secret: '<token>' }), token: null };
  }
  if (options.secret !== undefined) {
    const who = await verifyToken(options.secret);
    if (!who.token) throw new Error('--token must be a registry token (flyr_…), not a session');
    token = { ...pickToken(who.token), created: false };
    secret = options.secret;
  } else {
    const created: CreatedToken = await client.createToken({
      name: setupTokenName(target.machineName, tool, options.environment),
      permission: options.permission ?? defaultPermission(Boolean(options.environment)),
      expiresAt: options.expiresAt !== undefined ? options.expiresAt : parseExpiry(defaultExpiry(Boolean(options.environment)), new Date()),
      ...(options.environment ? { environment: options.environment } : {}),
    });
    token = { ...pickToken(created), created: true };
    secret = created.token;
  }
  return { plan: plan({ username: token.username, secret }), token };
}

function pickToken(t: { id: string; name: string; username: string; permission: Permission }) {
  return { id: t.id, name: t.name, username: t.username, permission: t.permission };
}
