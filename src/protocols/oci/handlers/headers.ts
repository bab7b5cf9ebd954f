/** Header names the registry answers with (lowercase, as Node sends them). */
export const H = {
  digest: 'docker-content-digest',
  uploadUuid: 'docker-upload-uuid',
  location: 'location',
  range: 'range',
  contentType: 'content-type',
  contentLength: 'content-length',
  subject: 'oci-subject',
  filtersApplied: 'oci-filters-applied',
  link: 'link',
} as const;

/** The `Range` an upload reports: the inclusive span received so far (`0-0` while empty, as distribution does). */
export function uploadRange(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}

export function uploadLocation(name: string, id: string): string {
  return `/v2/${name}/blobs/uploads/${id}`;
}
