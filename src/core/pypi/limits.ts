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
  /** How much of an sdist (decompressed) we scan looking for PKG-INFO. */
  maxSdistScanBytes: 512 * 1024 * 1024,
  /** Form fields of an upload: count and size of each (descriptions can be long). */
  maxFormFields: 200,
  maxFormFieldBytes: 4 * 1024 * 1024,
} as const;
