/**
 * Bounds on what an upload may make us read. They protect the server, not the client: a hostile archive
 * must fail fast with a clear 400 instead of exhausting memory or CPU.
 */
export const PYPI_LIMITS = {
  /** Largest distribution file accepted. */
  maxFileBytes: 1024 * 1024 * 1024,
  /** Largest METADATA / PKG-INFO we read and store (descriptions included). */
  maxCoreMetadataBytes: 2 * 1024 * 1024,
  /** A wheel with more entries than this is refused. */
  maxZipEntries: 100_000,
  /** Sum of the declared uncompressed sizes of every wheel entry. */
  maxZipUncompressedBytes: 4 * 1024 * 1024 * 1024,
  /** An entry expanding more than this ratio, once larger than bombEntryBytes, is a zip bomb. */
  maxCompressionRatio: 50,
  bombEntryBytes: 10 * 1024 * 1024,
  /** How much of an sdist (decompressed) we scan looking for PKG-INFO, at most. */
  maxSdistScanBytes: 512 * 1024 * 1024,
  /**
   * And at most this many times its compressed size (real sdists compress 3-10×; a gzip bomb 1,000×), with
   * minSdistScanBytes allowed to any archive so small sdists with a late PKG-INFO still pass.
   */
  maxSdistExpansion: 100,
  minSdistScanBytes: 64 * 1024 * 1024,
  /** Wall-clock budget for reading an uploaded archive's metadata (sdist or wheel). */
  maxArchiveScanMs: 30_000,
  /** Form fields of an upload: count and size of each (descriptions can be long). */
  maxFormFields: 200,
  maxFormFieldBytes: 4 * 1024 * 1024,
} as const;
