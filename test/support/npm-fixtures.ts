import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create, Header } from 'tar';

export interface BenchPackage {
  name: string;
  version: string;
  /** package.json as packed. */
  manifest: Record<string, unknown>;
  tarball: Buffer;
}

/**
 * `count` small private packages, each a real npm tarball (package/package.json + index.js) made with
 * the tar library; package i depends on package i+1, so an install also resolves a dependency chain.
 */
export async function makeBenchPackages(count: number, prefix = 'bench-pkg'): Promise<BenchPackage[]> {
  const root = mkdtempSync(join(tmpdir(), 'flybench-pkgs-'));
  const nameOf = (i: number) => `${prefix}-${String(i).padStart(2, '0')}`;
  try {
    const packages: BenchPackage[] = [];
    for (let i = 0; i < count; i++) {
      const name = nameOf(i);
      const dir = join(root, name, 'package');
      mkdirSync(dir, { recursive: true });
      const manifest = { name, version: '1.0.0', main: 'index.js', license: 'MIT', dependencies: i + 1 < count ? { [nameOf(i + 1)]: '^1.0.0' } : {} };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
      writeFileSync(join(dir, 'index.js'), `module.exports = ${JSON.stringify(name)};\n${'// padding\n'.repeat(200)}`);
      const file = join(root, `${name}.tgz`);
      await create({ gzip: true, cwd: join(root, name), file, portable: true }, ['package']);
      packages.push({ name, version: manifest.version, manifest, tarball: readFileSync(file) });
    }
    return packages;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * An npm tarball built in memory: `package/package.json` with the given manifest, plus `files` (paths under
 * `package/`), gzip'd. For tests that need many small or deliberately odd tarballs.
 */
export function npmTarball(manifest: Record<string, unknown>, files: Record<string, Buffer> = {}): Buffer {
  const blocks: Buffer[] = [];
  const entries: [string, Buffer][] = [['package/package.json', Buffer.from(JSON.stringify(manifest))], ...Object.entries(files).map(([p, b]): [string, Buffer] => [`package/${p}`, b])];
  for (const [path, bytes] of entries) {
    const header = Buffer.alloc(512);
    new Header({ path, size: bytes.length, type: 'File', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' }).encode(header, 0);
    blocks.push(header, bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** What `npm publish` sends, accepted by any npm registry (this one or Verdaccio). */
export function publishBody(pkg: BenchPackage, registry: string): object {
  const file = `${pkg.name}-${pkg.version}.tgz`;
  const dist = {
    integrity: `sha512-${createHash('sha512').update(pkg.tarball).digest('base64')}`,
    shasum: createHash('sha1').update(pkg.tarball).digest('hex'),
    tarball: `${registry}${pkg.name}/-/${file}`,
  };
  return {
    _id: pkg.name,
    name: pkg.name,
    'dist-tags': { latest: pkg.version },
    versions: { [pkg.version]: { ...pkg.manifest, _id: `${pkg.name}@${pkg.version}`, dist } },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: pkg.tarball.toString('base64'), length: pkg.tarball.length } },
  };
}

/** Publishes every package with PUT, failing loudly on the first refusal. */
export async function publishAll(registry: string, token: string, packages: BenchPackage[]): Promise<void> {
  for (const pkg of packages) {
    const res = await fetch(`${registry}${pkg.name}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(publishBody(pkg, registry)),
    });
    if (!res.ok) throw new Error(`publish ${pkg.name} to ${registry}: ${res.status} ${await res.text()}`);
  }
}
