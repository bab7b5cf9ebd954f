import type { BlobStore } from '../../core/blob-store.js';
import type { GoModules } from '../../core/go/go-modules.js';
import type { ProtocolRoute, RouteContext } from '../kit/route.js';
import type { GoRequest } from './paths.js';

/** What Go's handlers get from the kit: the core service, the request, the caller, and what the path names. */
export interface GoContext extends RouteContext {
  modules: GoModules;
  blobs: BlobStore;
  /** What the path names. */
  target: GoRequest;
}

/** Its `fromMemory` answers get the core service besides the call. */
export type GoRoute = ProtocolRoute<GoContext, GoModules>;
