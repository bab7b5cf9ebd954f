import { parseDigest } from '../../../core/oci/names.js';
import type { OciContext } from '../route.js';
import { H } from './headers.js';

/** `GET /v2/<name>/blobs/<digest>`: streamed, with `Range` → 206. */
export async function getBlob(c: OciContext): Promise<unknown> {
  const digest = parseDigest(c.params.digest);
  // FLY_BLOB_REDIRECT (S3): once the repository is known to hold the blob, the client fetches the bytes
  // straight from the object store by a pre-signed URL, as distribution redirects.
  if (c.core.blobs.presignedUrl) {
    await c.registry.blobs.stat(c.params.name as string, digest);
    const location = await c.core.blobs.presignedUrl(digest);
    if (location) return c.reply.status(307).header('location', location).header(H.digest, digest).send();
  }
  const download = await c.registry.blobs.open(c.params.name as string, digest, c.request.headers.range);
  c.signal.addEventListener('abort', () => download.stream.destroy());
  void c.reply.header(H.contentType, 'application/octet-stream').header(H.digest, digest).header('accept-ranges', 'bytes');
  if (download.range) {
    const { start, end } = download.range;
    void c.reply
      .status(206)
      .header('content-range', `bytes ${start}-${end}/${download.size}`)
      .header(H.contentLength, String(end - start + 1));
  } else {
    void c.reply.header(H.contentLength, String(download.size));
  }
  return c.reply.send(download.stream);
}

/** `HEAD /v2/<name>/blobs/<digest>`: whether the repository has the blob, and its size. */
export async function headBlob(c: OciContext): Promise<unknown> {
  const digest = parseDigest(c.params.digest);
  const info = await c.registry.blobs.stat(c.params.name as string, digest);
  return c.reply
    .header(H.contentType, 'application/octet-stream')
    .header(H.digest, digest)
    .header('accept-ranges', 'bytes')
    .header(H.contentLength, String(info.size))
    .send();
}

/** `DELETE /v2/<name>/blobs/<digest>`: unlinks the blob from the repository (`flyreg gc` frees the bytes). */
export async function deleteBlob(c: OciContext): Promise<unknown> {
  await c.registry.blobs.delete(c.principal, c.params.name as string, parseDigest(c.params.digest), c.ctx);
  return c.reply.status(202).send();
}
