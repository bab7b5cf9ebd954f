import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll } from 'vitest';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

export const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The layouts this test file made in the temporary directory, removed once its tests are done. */
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An OCI image layout on disk (the `oci:<dir>:<tag>` transport of skopeo), written file by file. */
export class OciLayout {
  readonly dir: string;
  private readonly index: Descriptor[] = [];

  /** Without `dir`, in a temporary directory of its own, removed after the test file. */
  constructor(dir?: string) {
    if (dir === undefined) {
      dir = mkdtempSync(join(tmpdir(), 'flyreg-oci-'));
      temporary.push(dir);
    }
    this.dir = dir;
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    this.flush();
  }

  /** Stores bytes as a blob and returns its descriptor. */
  addBlob(bytes: Buffer, mediaType: string): Descriptor {
    const digest = sha256(bytes);
    writeFileSync(join(this.dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { mediaType, digest, size: bytes.length };
  }

  blob(digest: string): Buffer {
    return readFileSync(join(this.dir, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
  }

  /** A gzip'ed tar layer holding `files` (path → content), built with the `tar` package. */
  async addLayer(files: Record<string, string | Buffer>): Promise<{ descriptor: Descriptor; diffId: string }> {
    const work = mkdtempSync(join(tmpdir(), 'flyreg-layer-'));
    const chunks: Buffer[] = [];
    try {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(work, path, '..'), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      const stream = tar.c({ cwd: work, portable: true, noMtime: true }, Object.keys(files));
      for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const plain = Buffer.concat(chunks);
    return { descriptor: this.addBlob(gzipSync(plain), OCI_LAYER_GZIP), diffId: sha256(plain) };
  }

  /** A runnable-looking image: N layers with random content, a config, a manifest. */
  async addImage(options: { layers: number; architecture?: string; layerBytes?: number }): Promise<Descriptor> {
    const layers: Descriptor[] = [];
    const diffIds: string[] = [];
    for (let i = 0; i < options.layers; i++) {
      const { descriptor, diffId } = await this.addLayer({
        [`layer${i}/data.bin`]: randomBytes(options.layerBytes ?? 4096 + i * 1000),
        [`layer${i}/hello.txt`]: `layer ${i} of ${options.architecture ?? 'amd64'}\n`,
      });
      layers.push(descriptor);
      diffIds.push(diffId);
    }
    const config = this.addBlob(
      Buffer.from(
        JSON.stringify({
          architecture: options.architecture ?? 'amd64',
          os: 'linux',
          config: { Cmd: ['/bin/true'] },
          rootfs: { type: 'layers', diff_ids: diffIds },
        }),
      ),
      OCI_CONFIG,
    );
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }, null, 2));
    return this.addBlob(manifest, OCI_MANIFEST);
  }

  /** An index over images for several architectures. */
  async addIndex(architectures: string[], layers = 2): Promise<Descriptor> {
    const manifests: Descriptor[] = [];
    for (const architecture of architectures) {
      const image = await this.addImage({ layers, architecture });
      manifests.push({ ...image, platform: { architecture, os: 'linux' } });
    }
    return this.addBlob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })), OCI_INDEX);
  }

  /** Names a manifest in index.json so `oci:<dir>:<tag>` finds it. */
  tag(descriptor: Descriptor, tag: string): void {
    this.index.push({ mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size, annotations: { 'org.opencontainers.image.ref.name': tag } });
    this.flush();
  }

  /** The descriptor index.json gives a tag (for layouts skopeo wrote). */
  static resolve(dir: string, tag: string): Descriptor {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    const found = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
    if (!found) throw new Error(`tag ${tag} not in ${dir}`);
    return found;
  }

  private flush(): void {
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: this.index }));
  }
}
