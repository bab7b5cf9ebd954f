import type { AuditLog } from '../audit/audit-log.js';
import type { BlobStore } from '../blob-store.js';
import type { Clock } from '../clock.js';
import type { MetadataStore } from '../ports.js';
import { OciBlobs } from './blobs.js';
import { GarbageCollector } from './garbage-collector.js';
import { OciManifests } from './manifests.js';
import { RegistryTokens } from './registry-tokens.js';
import { OciUploads } from './uploads.js';

/** The name of the bearer-token signing key in the shared secrets table. */
const SIGNING_KEY = 'oci-registry-token-key';

/** The OCI registry's core services over one metadata store and one blob store. */
export async function createOciRegistry(deps: { store: MetadataStore; blobs: BlobStore; clock: Clock; audit: AuditLog }) {
  const blobs = new OciBlobs(deps);
  const key = await deps.store.oci.secret(SIGNING_KEY, RegistryTokens.generateKey);
  return {
    store: deps.store,
    blobs,
    uploads: new OciUploads(deps, blobs),
    manifests: new OciManifests(deps),
    tokens: new RegistryTokens(Buffer.from(key, 'base64url')),
    gc: new GarbageCollector(deps),
  };
}

export type OciRegistry = Awaited<ReturnType<typeof createOciRegistry>>;
