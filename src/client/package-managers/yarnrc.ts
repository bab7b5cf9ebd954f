import type { FileEdit } from './docker-config.js';
import { splitLines } from './npmrc.js';

/** The top-level `.yarnrc.yml` settings this registry owns; every other line of the file is kept. */
const OWNED_KEYS = ['npmRegistryServer', 'npmAuthToken', 'npmAlwaysAuth', 'unsafeHttpWhitelist'];

/** Yarn 4's supply-chain age gate applies to this registry's versions too; setting it is the project's choice. */
export const AGE_GATE_NOTE =
  'Yarn 4 skips versions published less than npmMinimalAgeGate ago (1 day by default): list your own packages under ' +
  'npmPreapprovedPackages in .yarnrc.yml (e.g. "@your-scope/*") to install them as soon as they are published';

/** JSON strings are valid YAML double-quoted scalars: no YAML library needed to write one safely. */
const scalar = (value: string) => JSON.stringify(value);

/**
 * Yarn 2+ ("Berry", Yarn 4) reads `.yarnrc.yml`, not `.npmrc`. Points it at this registry with the token,
 * `npmAlwaysAuth` (otherwise Yarn sends the token only for scoped packages) and, for a plain-http registry,
 * the host in `unsafeHttpWhitelist` (Yarn refuses http otherwise). Replaces only those top-level keys (and a
 * list under them); comments and other settings stay.
 */
export function editYarnrc(existing: string | null, registry: string, secret: string): FileEdit {
  const url = new URL(registry);
  const lines = [`npmRegistryServer: ${scalar(registry)}`, `npmAuthToken: ${scalar(secret)}`, 'npmAlwaysAuth: true'];
  if (url.protocol === 'http:') lines.push('unsafeHttpWhitelist:', `  - ${scalar(url.hostname)}`);
  const out: string[] = [];
  // Inside an owned key's block (its indented list or map lines) everything is dropped with it.
  let inOwnedBlock = false;
  for (const line of splitLines(existing)) {
    const key = /^([A-Za-z][\w-]*)\s*:/.exec(line)?.[1];
    if (key !== undefined) inOwnedBlock = OWNED_KEYS.includes(key);
    else if (!/^\s/.test(line)) inOwnedBlock = false;
    if (!inOwnedBlock) out.push(line);
  }
  const notes = existing && OWNED_KEYS.some((k) => new RegExp(`^${k}\\s*:`, 'm').test(existing)) ? ['replaced the registry settings of .yarnrc.yml'] : [];
  if (!existing || !/^npmPreapprovedPackages\s*:/m.test(existing)) notes.push(AGE_GATE_NOTE);
  return { content: `${[...out, ...lines].join('\n')}\n`, fragment: `${lines.join('\n')}\n`, notes };
}

/** Whether the project uses Yarn 2 or later: a `packageManager: yarn@2+` field or an existing `.yarnrc.yml`. */
export function usesYarnBerry(packageJson: string | null, yarnrcExists: boolean): boolean {
  if (yarnrcExists) return true;
  if (packageJson === null) return false;
  try {
    const manager = (JSON.parse(packageJson) as { packageManager?: unknown }).packageManager;
    return typeof manager === 'string' && /^yarn@([2-9]|\d{2,})\./.test(manager);
  } catch {
    return false;
  }
}
