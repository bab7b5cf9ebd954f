import type { FileEdit } from './docker-config.js';
import { splitLines } from './npmrc.js';

/**
 * Adds this registry to cargo's config.toml as `[registries.<name>]` (sparse index, cargo's token
 * provider, the token): an existing table of that name is replaced; every other table and key stays.
 */
export function editCargoConfig(existing: string | null, name: string, index: string, secret: string): FileEdit {
  const header = `[registries.${name}]`;
  const table = [header, `index = "${index}"`, 'credential-provider = "cargo:token"', `token = "${secret}"`];
  const out: string[] = [];
  const notes: string[] = [];
  let inOurs = false;
  for (const line of splitLines(existing)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) {
      inOurs = trimmed.replace(/\s+/g, '') === header;
      if (inOurs) notes.push(`replaced the existing ${header} table`);
    }
    if (!inOurs) out.push(line);
  }
  while (out.length > 0 && out[out.length - 1]?.trim() === '') out.pop();
  if (out.length > 0) out.push('');
  out.push(...table);
  notes.push(`depend on crates from it with { version = "…", registry = "${name}" }; publish with cargo publish --registry ${name}`);
  return { content: `${out.join('\n')}\n`, fragment: `${table.join('\n')}\n`, notes };
}
