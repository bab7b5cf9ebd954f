import type { ProtocolServiceDeps } from '../protocols.js';
import type { Readable } from 'node:stream';
import { readGoMod } from '../../formats/go/go-mod.js';
import { MAX_ZIP_BYTES } from '../../formats/go/module-files.js';
import { modulePathProblem } from '../../formats/go/module-path.js';
import { versionProblem } from '../../formats/go/versions.js';
import { readBounded } from '../archives/bounded-read.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import { DigestBytesCache } from '../digest-bytes-cache.js';
import { Errors, isAppError } from '../errors.js';
import { discardCreated, storeBytes, storeUpload, type StoredUpload } from '../packages/stored-upload.js';
import { PackageViews, unpublishVersion } from '../packages/package-views.js';
import { goModuleView, type GoModuleView, type GoVersionView } from './module-view.js';
import { modFilename, zipFilename, type GoVersionMetadata } from './records.js';
import { checkModuleZip } from './zip-check.js';

export const GO_REPOSITORY = 'go';
/** go.mod files up to this size are kept in memory once read (every build resolving the module fetches them). */
const SMALL_MOD_BYTES = 64 * 1024;
/** The memory those go.mod files may take, per process. */
const MODS_CACHE_BYTES = 4 * 1024 * 1024;

/** What every protocol's service is built from (core/protocols.ts), less the public URL it does not use. */
export type GoModulesDeps = Omit<ProtocolServiceDeps, 'publicUrl'>;

export interface PublishedVersion {
  module: string;
  version: string;
  h1: string;
}

/** Refuses a module path or version the Go command would refuse (on reads this is a plain "not found"). */
export function checkModuleVersion(module: string, version: string): void {
  const pathProblem = modulePathProblem(module);
  if (pathProblem) throw Errors.validation(`malformed module path ${JSON.stringify(module)}: ${pathProblem}`);
  const problem = versionProblem(module, version);
  if (problem) throw Errors.validation(`invalid version for ${module}: ${problem}`);
}

/**
 * Go modules over the shared package model: a module is a package named by its path, a version holds its
 * zip and its go.mod (exact bytes, extracted from the zip). Versions are immutable. Reads go through a
 * per-module view cached per stored revision, so `@v/list` and `.info` stay off the database.
 * Authorization happens in the protocol's route guard, except delete, which authorizes itself.
 */
export class GoModules {
  private readonly views: PackageViews<GoModuleView>;
  /** Small go.mod files' bytes: content-addressed, so never stale. */
  private readonly mods = new DigestBytesCache(MODS_CACHE_BYTES, SMALL_MOD_BYTES);

  constructor(private readonly deps: GoModulesDeps) {
    this.views = new PackageViews(deps, GO_REPOSITORY, goModuleView);
  }

  /** module() when this process holds the module's view; undefined when module() would read the store. */
  moduleInMemory(path: string): GoModuleView | undefined {
    return this.views.inMemory(path);
  }

  /** A version's go.mod bytes, read once and kept when small; undefined for a large one (stream it). */
  async modBytes(v: GoVersionView): Promise<Buffer | undefined> {
    if (v.mod.size > SMALL_MOD_BYTES) return undefined;
    let bytes = this.mods.get(v.mod.digest);
    if (bytes === undefined) {
      bytes = await readBounded(await this.deps.blobs.open(v.mod.digest), SMALL_MOD_BYTES, () => new Error(`blob ${v.mod.digest} is larger than its file record says`));
      this.mods.set(v.mod.digest, bytes);
    }
    return bytes;
  }

  /** modBytes() when the bytes are already in memory. */
  modInMemory(v: GoVersionView): Buffer | undefined {
    return this.mods.get(v.mod.digest);
  }

  async module(path: string): Promise<GoModuleView> {
    const view = await this.views.get(path);
    if (!view) throw Errors.notFound('Module', path);
    return view;
  }

  async version(path: string, version: string): Promise<GoVersionView> {
    const found = (await this.module(path)).byVersion.get(version);
    if (!found) throw Errors.notFound('Module version', `${path}@${version}`);
    return found;
  }

  async latest(path: string): Promise<GoVersionView> {
    const latest = (await this.module(path)).latest;
    if (!latest) throw Errors.notFound('Module', path);
    return latest;
  }

  /**
   * Publishes a module version from its zip: the zip is stored, then checked by the Go command's rules and
   * hashed; its go.mod must name this module (a module without one gets `module <path>` as go does). All
   * records land in one transaction; on any failure nothing stays visible and new blobs are removed.
   */
  async publish(principal: Principal, module: string, version: string, body: Readable, ctx: RequestContext): Promise<PublishedVersion> {
    checkModuleVersion(module, version);
    const existing = await this.deps.store.packages.get(GO_REPOSITORY, module);
    if (existing && (await this.deps.store.packages.version(existing.id, version))) throw immutable(module, version);
    let zip: StoredUpload | undefined;
    let mod: StoredUpload | undefined;
    try {
      zip = await storeUpload(this.deps.blobs, body, MAX_ZIP_BYTES);
      const checked = await checkModuleZip(this.deps.blobs, zip.digest, zip.size, module, version);
      const goMod = checked.goMod ?? Buffer.from(`module ${module}\n`);
      const summary = readGoMod(goMod.toString('utf8'));
      if (checked.goMod && summary.module !== module) {
        throw Errors.validation(`go.mod says module ${JSON.stringify(summary.module ?? '')}, but this upload is for ${module}`);
      }
      if (checked.goMod && version.endsWith('+incompatible')) throw Errors.validation(`${version}: a module with a go.mod cannot have +incompatible versions`);
      mod = await storeBytes(this.deps.blobs, goMod);
      const metadata: GoVersionMetadata = { h1: checked.h1, retract: summary.retract };
      await this.writeRecords(principal, module, version, metadata, zip, mod, ctx);
      await this.deps.publications.record(principal, { type: 'go', name: module, version }, ctx);
      this.views.forget(module);
      return { module, version, h1: checked.h1 };
    } catch (error) {
      // A concurrent publish of the same bytes may own these blobs: a conflict never deletes.
      if (!(isAppError(error) && error.code === 'conflict')) await discardCreated(this.deps.blobs, [zip, mod]);
      throw error;
    }
  }

  private async writeRecords(
    principal: Principal,
    module: string,
    version: string,
    metadata: GoVersionMetadata,
    zip: StoredUpload,
    mod: StoredUpload,
    ctx: RequestContext,
  ): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      const pkg = await tx.packages.ensure(GO_REPOSITORY, module, module, now);
      if (await tx.packages.version(pkg.id, version)) throw immutable(module, version);
      const row = await tx.packages.insertVersion(pkg.id, version, JSON.stringify(metadata), now);
      await tx.packages.insertFile(pkg.id, row.id, { filename: zipFilename(version), blobDigest: zip.digest, size: zip.size, metadata: '{}' }, now);
      await tx.packages.insertFile(pkg.id, row.id, { filename: modFilename(version), blobDigest: mod.digest, size: mod.size, metadata: '{}' }, now);
      await this.views.changed(tx, module, pkg.id);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.published', target: { type: 'go', id: pkg.id, name: module }, details: { version, h1: metadata.h1 } },
        ctx,
      );
    });
  }

  /** Deletes a version (its files become garbage for `flyreg gc`); the module goes with its last version. */
  async deleteVersion(principal: Principal, module: string, version: string, ctx: RequestContext): Promise<void> {
    authorize(principal, 'delete', { kind: 'artifact', protocol: 'go', name: module });
    await this.deps.store.transaction((tx) =>
      unpublishVersion(this.deps, tx, { repository: GO_REPOSITORY, name: module, version, principal, ctx, notFound: () => Errors.notFound('Module version', `${module}@${version}`) }),
    );
    this.views.forget(module);
  }
}

const immutable = (module: string, version: string) =>
  Errors.conflict(`${module}@${version} already exists: module versions are immutable, publish a new version`);
