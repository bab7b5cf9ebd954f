/** Manifest media types the registry stores and serves. */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

export type ManifestMediaType = (typeof MediaType)[keyof typeof MediaType];

export const MANIFEST_MEDIA_TYPES: ReadonlySet<string> = new Set(Object.values(MediaType));

/** Docker's signed schema 1, retired in 2019: refused with UNSUPPORTED. */
export const DOCKER_SCHEMA1_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

export function isIndexType(mediaType: ManifestMediaType): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

/** Layers a registry is not expected to hold (Windows base layers and other `urls` layers). */
export function isForeignLayer(mediaType: string): boolean {
  return mediaType.includes('nondistributable') || mediaType === 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
}
