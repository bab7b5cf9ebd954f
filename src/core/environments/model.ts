/** Runtime environments and what their pulls tell us. Times are JavaScript Dates. */

export interface Environment {
  id: string;
  /** Lowercase letters, digits and inner hyphens; the identity people and URLs use. */
  name: string;
  description: string | null;
  /** `#rrggbb`, lowercase. */
  color: string | null;
  /** Username of whoever created it (usernames never change). */
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type PullMethod = 'GET' | 'HEAD';

/** A manifest request the registry answered, as its protocol adapter reports it. */
export interface ManifestPull {
  repository: string;
  /** The tag asked for, or null when the request named a digest. */
  tag: string | null;
  /** The digest the request resolved to. */
  digest: string;
  method: PullMethod;
}

/** One manifest request made with an environment token, as the registry saw it. */
export interface PullEvent {
  environmentId: string;
  tokenId: string;
  repository: string;
  /** The tag the client asked for; null when it asked by digest. */
  tag: string | null;
  /** The manifest digest the request resolved to. */
  digest: string;
  method: PullMethod;
  at: Date;
  ip: string | null;
  client: string | null;
}

/** A pull event after attribution (see pull-attribution.ts). */
export interface AttributedPull extends PullEvent {
  /** The image this request belongs to: the index when the client fetched one of its platform manifests right after it. */
  imageDigest: string;
  /** False when the request continues a pull already counted (a GET after its HEAD, a platform manifest after its index). */
  newPull: boolean;
}

/** One uninterrupted run of one image of one repository in one environment. */
export interface Deployment {
  id: string;
  environmentId: string;
  repository: string;
  /** 1, 2, 3… per (environment, repository): the highest run is what runs there now. */
  run: number;
  digest: string;
  /** The latest tag it was pulled by, if any. */
  tag: string | null;
  firstSeen: Date;
  lastSeen: Date;
  pullCount: number;
}
