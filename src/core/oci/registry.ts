import type { Grant } from '../auth/grants.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { BlobStore } from '../blob-store.js';
import type { Clock } from '../clock.js';
import type { MetadataStore } from '../ports.js';
import { OciBlobs } from './blobs.js';
import { OciManifests } from './manifests.js';
import { RegistryTokens } from './registry-tokens.js';
import { scopeGrants } from './scopes.js';
import { OciUploads } from './uploads.js';

/** The name of the bearer-token signing key in the shared secrets table. */
const SIGNING_KEY = 'oci-registry-token-key';

/** A credential derived from a registry token, as the Authenticator verifies it (core/auth/authenticate.ts). */
export interface DerivedCredentials {
  isDerived(secret: string): boolean;
  verify(secret: string, now: Date): Promise<{ tokenId: string; scope: Grant[] }>;
  /** verify() without waiting: undefined until the signing key has been loaded once. */
  verifyInMemory(secret: string, now: Date): { tokenId: string; scope: Grant[] } | undefined;
}

/**
 * The OCI registry's core services over one metadata store and one blob store, built by createCore like
 * every protocol's. The signing key is read (or created) on first use, so building stays synchronous.
 */
export function createOciRegistry(deps: { store: MetadataStore; blobs: BlobStore; clock: Clock; audit: AuditLog; maxUploadsPerCredential: number }) {
  const blobs = new OciBlobs(deps);
  let loading: Promise<RegistryTokens> | undefined;
  let loaded: RegistryTokens | undefined;
  const tokens = (): Promise<RegistryTokens> =>
    (loading ??= deps.store.oci.secret(SIGNING_KEY, RegistryTokens.generateKey).then(
      (key) => (loaded = new RegistryTokens(Buffer.from(key, 'base64url'))),
      (error: unknown) => {
        loading = undefined; // a failed read is retried by the next request
        throw error;
      },
    ));
  const bearer: DerivedCredentials = {
    isDerived: (secret) => RegistryTokens.isRegistryToken(secret),
    async verify(secret, now) {
      const verified = (await tokens()).verify(secret, now);
      return { tokenId: verified.tokenId, scope: scopeGrants(verified.grant) };
    },
    verifyInMemory(secret, now) {
      const verified = loaded?.verify(secret, now);
      return verified && { tokenId: verified.tokenId, scope: scopeGrants(verified.grant) };
    },
  };
  return {
    store: deps.store,
    blobs,
    uploads: new OciUploads(deps, blobs, deps.maxUploadsPerCredential),
    manifests: new OciManifests(deps),
    tokens,
    bearer,
  };
}

export type OciRegistry = ReturnType<typeof createOciRegistry>;
