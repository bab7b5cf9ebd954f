import { createHash, randomUUID } from 'node:crypto';
import type { MetadataStore } from '../ports.js';
import type { ProjectView } from '../pypi/project-view.js';

/** A rendered page: its bytes (as sent, encoded once) and their entity tag (a hash, so equal pages share a tag on every replica). */
export interface Rendered {
  body: Buffer;
  etag: string;
}

interface Entry<V> {
  /** The package row's metadata text, which carries a revision that changes on every write. */
  stamp: string;
  /** When the stamp was last confirmed against the store (ms since epoch). */
  checkedAt: number;
  view: V;
  /** Rendered pages, built on first use. */
  rendered: Map<string, Rendered>;
}

/**
 * Rendered project pages keyed by the package's revision stamp, with when that stamp was last confirmed.
 * Bounded: the least recently used project is dropped first. `V` is the protocol's view of a package
 * (PyPI's project view by default; Go, Cargo and Helm keep their own).
 */
export class ProjectCache<V = ProjectView> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxProjects = 2000) {}

  /** The entry when its stamp was confirmed less than maxAgeMs ago, without asking the store. */
  fresh(name: string, now: number, maxAgeMs: number): Entry<V> | undefined {
    const entry = this.entries.get(name);
    return entry && now - entry.checkedAt < maxAgeMs ? entry : undefined;
  }

  /** The entry when the stored stamp still matches; marks it confirmed now. */
  get(name: string, stamp: string, now: number): Entry<V> | undefined {
    const entry = this.entries.get(name);
    if (!entry || entry.stamp !== stamp) return undefined;
    entry.checkedAt = now;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(name);
    this.entries.set(name, entry);
    return entry;
  }

  set(name: string, stamp: string, view: V, now: number): Entry<V> {
    const entry: Entry<V> = { stamp, checkedAt: now, view, rendered: new Map() };
    this.entries.delete(name);
    this.entries.set(name, entry);
    if (this.entries.size > this.maxProjects) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }
}

/** A strong entity tag of a rendered text or its bytes: a hash, so the same content has the same tag on every replica. */
export function entityTag(content: string | Buffer): string {
  return `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
}

/** Returns a rendering of the entry's view, computing it once per revision. */
export function renderOnce<V>(entry: { view: V; rendered: Map<string, Rendered> }, kind: string, render: (view: V) => string): Rendered {
  let page = entry.rendered.get(kind);
  if (page === undefined) {
    const body = Buffer.from(render(entry.view));
    page = { body, etag: entityTag(body) };
    entry.rendered.set(kind, page);
  }
  return page;
}

/** Gives the package a new revision (in the caller's transaction), so every replica's cached pages go stale. */
export function touchProject(tx: MetadataStore, packageId: string, now: Date): Promise<void> {
  return tx.packages.setPackageMetadata(packageId, JSON.stringify({ revision: randomUUID() }), now);
}
