import type { LoadedPackage, PackageRepository } from '../packages/model.js';
import type { MetadataStore } from '../ports.js';

/** How long a cached package is served before its revision is checked again (one indexed read). */
export const PACKAGE_FRESHNESS_MS = 1000;

interface Entry {
  /** The package row's metadata text: it carries a revision that every write changes (touchProject). */
  stamp: string;
  checkedAt: number;
  loaded: LoadedPackage;
  /** Documents rendered from this revision (maven-metadata.xml, listings), built on first use. */
  rendered: Map<string, string>;
}

/**
 * Loaded packages (versions and files) keyed by name, so resolving a pom or a maven-metadata.xml costs no
 * query while fresh. Writes through this replica drop the entry at once; another replica's writes change
 * the stored revision, seen within PACKAGE_FRESHNESS_MS. Bounded: least recently used first out.
 */
export class LoadedPackageCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: MetadataStore,
    private readonly repository: PackageRepository,
    private readonly maxPackages = 5000,
  ) {}

  /** The package with everything under it, or undefined when it does not exist. */
  async get(name: string, now: number): Promise<Entry | undefined> {
    const entry = this.entries.get(name);
    if (entry && now - entry.checkedAt < PACKAGE_FRESHNESS_MS) return entry;
    const pkg = await this.store.packages.get(this.repository, name);
    if (!pkg) {
      this.entries.delete(name);
      return undefined;
    }
    if (entry && entry.stamp === pkg.metadata) {
      entry.checkedAt = now;
      return entry;
    }
    const loaded = await this.store.packages.load(this.repository, name);
    if (!loaded) return undefined;
    const fresh: Entry = { stamp: loaded.package.metadata, checkedAt: now, loaded, rendered: new Map() };
    this.entries.delete(name);
    this.entries.set(name, fresh);
    if (this.entries.size > this.maxPackages) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return fresh;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }
}

/** A document rendered once per cached revision. */
export function renderedOnce(entry: { rendered: Map<string, string> }, key: string, render: () => string): string {
  let text = entry.rendered.get(key);
  if (text === undefined) {
    text = render();
    entry.rendered.set(key, text);
  }
  return text;
}
