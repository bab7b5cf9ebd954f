import type { BlobStore } from '../../core/blob-store.js';
import type { Crates } from '../../core/cargo/crates.js';
import type { ProtocolRoute, RouteContext } from '../kit/route.js';

/** What Cargo's handlers get from the kit: the core service, the request, the caller and the mount's URL. */
export interface CargoContext extends RouteContext {
  crates: Crates;
  blobs: BlobStore;
  /** This mount's absolute URL (config.json's `api`; downloads sit below it). */
  base: string;
  /** The credential's expiry notice (kit/expiry-notice.ts), or null: cargo prints a publish answer's `warnings.other`. */
  notice(): string | null;
}

/** Its `fromMemory` answers get the core service besides the call. */
export type CargoRoute = ProtocolRoute<CargoContext, Crates>;
