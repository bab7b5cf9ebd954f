import { createHash } from 'node:crypto';

/**
 * The Go checksum database's "h1:" hash of a module: SHA-256 over the lines "<sha256 hex>  <name>\n" of
 * every file (named `module@version/path`), sorted by name, in base64. It is what go.sum records, so the
 * registry and `flyreg go publish` compute it the same way `go` does.
 */
export function hash1(files: { name: string; sha256Hex: string }[]): string {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const h = createHash('sha256');
  for (const f of sorted) {
    if (f.name.includes('\n')) throw new Error('file names with newlines cannot be hashed');
    h.update(`${f.sha256Hex}  ${f.name}\n`);
  }
  return `h1:${h.digest('base64')}`;
}

/** The h1: hash of a go.mod file alone, as go.sum's "/go.mod" lines record it. */
export function goModHash1(modulePath: string, version: string, goMod: Buffer): string {
  return hash1([{ name: `${modulePath}@${version}/go.mod`, sha256Hex: createHash('sha256').update(goMod).digest('hex') }]);
}
