import type { FileEdit } from './docker-config.js';

const REGISTRY_LINE = /^\s*registry\s*=\s*(.*?)\s*$/;

/**
 * Points npm at this registry: sets `registry=`, this registry's `_authToken` and its `always-auth` (Yarn 1
 * reads .npmrc and otherwise sends the token only for scoped packages; npm and pnpm send it anyway), replacing only the
 * lines for this registry (its auth keys and the default-registry line); scoped registries, other hosts'
 * credentials and every other setting stay as they were.
 */
export function editNpmrc(existing: string | null, registry: string, authKey: string, secret: string): FileEdit {
  const registryLine = `registry=${registry}`;
  const authLine = `${authKey}:_authToken=${secret}\n${authKey}:always-auth=true`;
  const notes: string[] = [];
  const out: string[] = [];
  let registryPlaced = false;
  for (const line of splitLines(existing)) {
    if (line.trimStart().startsWith(`${authKey}:`)) continue;
    const match = REGISTRY_LINE.exec(line);
    if (match) {
      const previous = match[1] ?? '';
      if (previous !== registry && !registryPlaced) notes.push(`replaced the default registry ${previous || '(empty)'} with ${registry}`);
      if (!registryPlaced) out.push(registryLine);
      registryPlaced = true;
      continue;
    }
    out.push(line);
  }
  if (!registryPlaced) out.push(registryLine);
  out.push(authLine);
  return { content: `${out.join('\n')}\n`, fragment: `${registryLine}\n${authLine}\n`, notes };
}

/** The file's lines without the final newline's empty remainder. */
export function splitLines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
