/** How the SDK reports S3 answers we treat as values rather than failures. */

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/** NoSuchKey on GET, a bodiless 404 (`NotFound`) on HEAD. */
export function isS3NotFound(error: unknown): boolean {
  return httpStatus(error) === 404 || (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'));
}

export function isS3RangeNotSatisfiable(error: unknown): boolean {
  return httpStatus(error) === 416 || (error instanceof Error && error.name === 'InvalidRange');
}
