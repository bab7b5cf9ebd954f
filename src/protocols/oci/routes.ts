import { MAX_MANIFEST_BYTES } from '../../core/oci/manifest.js';
import { parseRepositoryName } from '../../core/oci/names.js';
import { CATALOG_RESOURCE } from '../../core/oci/scopes.js';
import { apiVersionCheck } from './handlers/base.js';
import { deleteBlob, getBlob, headBlob } from './handlers/blobs.js';
import { catalog } from './handlers/catalog.js';
import { deleteManifest, getManifest, headManifest, manifestFromMemory, putManifest } from './handlers/manifests.js';
import { listReferrers } from './handlers/referrers.js';
import { listTags } from './handlers/tags.js';
import { issueTokenGet, issueTokenPost, MAX_TOKEN_FORM_BYTES } from './handlers/token.js';
import { appendUpload, cancelUpload, completeUpload, startUpload, uploadStatus } from './handlers/uploads.js';
import type { OciRoute } from './route.js';

/** Repository routes act on the repository their path names, validated (NAME_INVALID) before anything else. */
const repository = (params: Record<string, string>): string => (params.name = parseRepositoryName(params.name ?? ''));
const catalogResource = () => CATALOG_RESOURCE;

/**
 * The OCI Distribution API, one row per endpoint, relative to `/v2`, matched in order (fixed paths before
 * repository paths, uploads before `blobs/<digest>`). Each row names the action the kit's guard authorizes
 * before the handler runs. Blob bodies stream (no body limit here; the blob store bounds nothing it need not).
 */
export const OCI_ROUTES: readonly OciRoute[] = [
  { method: 'GET', path: '/', action: 'authenticated', handler: apiVersionCheck },
  { method: 'GET', path: '/token', action: 'public', handler: issueTokenGet },
  { method: 'POST', path: '/token', action: 'public', bodyLimit: MAX_TOKEN_FORM_BYTES, handler: issueTokenPost },
  { method: 'GET', path: '/_catalog', action: 'pull', resource: catalogResource, handler: catalog },

  { method: 'GET', path: '/<name>/tags/list', action: 'pull', resource: repository, handler: listTags },

  { method: 'GET', path: '/<name>/manifests/<reference>', action: 'pull', resource: repository, handler: getManifest, fromMemory: manifestFromMemory },
  { method: 'HEAD', path: '/<name>/manifests/<reference>', action: 'pull', resource: repository, handler: headManifest, fromMemory: manifestFromMemory },
  { method: 'PUT', path: '/<name>/manifests/<reference>', action: 'push', resource: repository, bodyLimit: MAX_MANIFEST_BYTES, bodyInMemory: true, handler: putManifest },
  { method: 'DELETE', path: '/<name>/manifests/<reference>', action: 'delete', resource: repository, handler: deleteManifest },

  { method: 'POST', path: '/<name>/blobs/uploads/', action: 'push', resource: repository, handler: startUpload },
  { method: 'GET', path: '/<name>/blobs/uploads/<id>', action: 'push', resource: repository, handler: uploadStatus },
  { method: 'PATCH', path: '/<name>/blobs/uploads/<id>', action: 'push', resource: repository, handler: appendUpload },
  { method: 'PUT', path: '/<name>/blobs/uploads/<id>', action: 'push', resource: repository, handler: completeUpload },
  { method: 'DELETE', path: '/<name>/blobs/uploads/<id>', action: 'push', resource: repository, handler: cancelUpload },

  { method: 'GET', path: '/<name>/blobs/<digest>', action: 'pull', resource: repository, handler: getBlob },
  { method: 'HEAD', path: '/<name>/blobs/<digest>', action: 'pull', resource: repository, handler: headBlob },
  { method: 'DELETE', path: '/<name>/blobs/<digest>', action: 'delete', resource: repository, handler: deleteBlob },

  { method: 'GET', path: '/<name>/referrers/<digest>', action: 'pull', resource: repository, handler: listReferrers },
];
