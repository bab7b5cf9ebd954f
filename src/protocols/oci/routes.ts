import { apiVersionCheck } from './handlers/base.js';
import { deleteBlob, getBlob, headBlob } from './handlers/blobs.js';
import { catalog } from './handlers/catalog.js';
import { deleteManifest, getManifest, headManifest, putManifest } from './handlers/manifests.js';
import { listReferrers } from './handlers/referrers.js';
import { listTags } from './handlers/tags.js';
import { issueTokenGet, issueTokenPost } from './handlers/token.js';
import { appendUpload, cancelUpload, completeUpload, startUpload, uploadStatus } from './handlers/uploads.js';
import type { OciRoute } from './route.js';

/**
 * The OCI Distribution API, one row per endpoint, matched in order (fixed paths before repository paths,
 * uploads before `blobs/<digest>`). Each row names the action the guard authorizes before the handler runs.
 */
export const OCI_ROUTES: readonly OciRoute[] = [
  { method: 'GET', path: '/v2/', action: 'login', handler: apiVersionCheck },
  { method: 'GET', path: '/v2/token', action: 'token', handler: issueTokenGet },
  { method: 'POST', path: '/v2/token', action: 'token', handler: issueTokenPost },
  { method: 'GET', path: '/v2/_catalog', action: 'catalog', handler: catalog },

  { method: 'GET', path: '/v2/<name>/tags/list', action: 'pull', handler: listTags },

  { method: 'GET', path: '/v2/<name>/manifests/<reference>', action: 'pull', handler: getManifest },
  { method: 'HEAD', path: '/v2/<name>/manifests/<reference>', action: 'pull', handler: headManifest },
  { method: 'PUT', path: '/v2/<name>/manifests/<reference>', action: 'push', handler: putManifest },
  { method: 'DELETE', path: '/v2/<name>/manifests/<reference>', action: 'delete', handler: deleteManifest },

  { method: 'POST', path: '/v2/<name>/blobs/uploads/', action: 'push', handler: startUpload },
  { method: 'GET', path: '/v2/<name>/blobs/uploads/<id>', action: 'push', handler: uploadStatus },
  { method: 'PATCH', path: '/v2/<name>/blobs/uploads/<id>', action: 'push', handler: appendUpload },
  { method: 'PUT', path: '/v2/<name>/blobs/uploads/<id>', action: 'push', handler: completeUpload },
  { method: 'DELETE', path: '/v2/<name>/blobs/uploads/<id>', action: 'push', handler: cancelUpload },

  { method: 'GET', path: '/v2/<name>/blobs/<digest>', action: 'pull', handler: getBlob },
  { method: 'HEAD', path: '/v2/<name>/blobs/<digest>', action: 'pull', handler: headBlob },
  { method: 'DELETE', path: '/v2/<name>/blobs/<digest>', action: 'delete', handler: deleteBlob },

  { method: 'GET', path: '/v2/<name>/referrers/<digest>', action: 'pull', handler: listReferrers },
];
