import type { BlobStore } from '../../core/blob-store.js';
import type { Charts } from '../../core/helm/charts.js';
import type { MemoryCall, ProtocolRoute, RouteContext } from '../kit/route.js';

/** What Helm's handlers get from the kit: the core service, the request and the caller. */
export interface HelmContext extends RouteContext {
  charts: Charts;
  blobs: BlobStore;
}

/** What Helm's `fromMemory` answers get: the guarded call and the core service. */
export interface HelmMemoryCall extends MemoryCall {
  charts: Charts;
}

export type HelmRoute = ProtocolRoute<HelmContext, HelmMemoryCall>;
