import type { BlobStore } from '../../core/blob-store.js';
import type { Charts } from '../../core/helm/charts.js';
import type { ProtocolRoute, RouteContext } from '../kit/route.js';

/** What Helm's handlers get from the kit: the core service, the request and the caller. */
export interface HelmContext extends RouteContext {
  charts: Charts;
  blobs: BlobStore;
}

/** Its `fromMemory` answers get the core service besides the call. */
export type HelmRoute = ProtocolRoute<HelmContext, Charts>;
