import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { CreatedToken } from '../../helpers/api.js';
import type { TestServer } from '../../helpers/server.js';
import { OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST, sha256 } from './oci-layout.js';
import { basic, reg } from './registry.js';

/** Pushes a blob monolithically and checks the answer. */
export async function pushBlob(server: TestServer, token: CreatedToken, repo: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const res = await reg(server, `/v2/${repo}/blobs/uploads/?digest=${digest}`, { method: 'POST', auth: basic(token), body: bytes });
  expect(res.status, await res.clone().text()).toBe(201);
  return digest;
}

/** A small image (config + `layers` random layers) pushed under `tag`; returns the manifest's bytes and digest. */
export async function pushImage(
  server: TestServer,
  token: CreatedToken,
  repo: string,
  tag: string,
  options: { layers?: number; subject?: { digest: string; size: number; mediaType: string }; artifactType?: string } = {},
): Promise<{ digest: string; bytes: Buffer; blobs: string[] }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, nonce: randomBytes(8).toString('hex') }));
  const configDigest = await pushBlob(server, token, repo, config);
  const layers = [];
  for (let i = 0; i < (options.layers ?? 1); i++) {
    const layer = randomBytes(1024 + i);
    layers.push({ mediaType: OCI_LAYER_GZIP, digest: await pushBlob(server, token, repo, layer), size: layer.length });
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
    layers,
    ...(options.subject ? { subject: options.subject } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const res = await reg(server, `/v2/${repo}/manifests/${tag}`, { method: 'PUT', auth: basic(token), headers: { 'content-type': OCI_MANIFEST }, body: bytes });
  expect(res.status, await res.clone().text()).toBe(201);
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  expect(res.headers.get('docker-content-digest')).toBe(digest);
  return { digest, bytes, blobs: [configDigest, ...layers.map((l) => l.digest)] };
}
