import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The parts of the SDK's HttpRequest a URL is made of (structural, so no transitive @smithy import). */
interface BuiltRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

interface Presigner {
  presign(request: BuiltRequest, options: { expiresIn: number; signingRegion?: string }): Promise<BuiltRequest>;
}

function isPresigner(value: unknown): value is Presigner {
  return typeof value === 'object' && value !== null && typeof (value as { presign?: unknown }).presign === 'function';
}

/**
 * A pre-signed GET URL for one object, made with the client's own SigV4 signer (no extra package).
 *
 * The command runs through the client's middleware stack as usual, so the request is built exactly as the
 * SDK would send it (endpoint, path or virtual-host style, key encoding); a step placed just before the
 * signing step presigns that request instead of sending it. This is what @aws-sdk/s3-request-presigner
 * does, which this project does not depend on.
 */
export async function presignGetObject(client: S3Client, bucket: string, key: string, expiresInSeconds: number): Promise<string> {
  const command = new GetObjectCommand({ Bucket: bucket, Key: key });
  let url: string | undefined;
  command.middlewareStack.addRelativeTo(
    () => async (args: { request: unknown }) => {
      const request = args.request as BuiltRequest;
      const signer = await client.config.signer();
      if (!isPresigner(signer)) throw new Error('this S3 client has no presigning signer');
      // Only `host` is signed: the browser or container runtime that follows the redirect sends its own headers.
      const signed = await signer.presign(
        { ...request, headers: { host: request.headers.host ?? request.hostname } },
        { expiresIn: expiresInSeconds, signingRegion: await client.config.region() },
      );
      url = formatUrl(signed);
      return { response: {}, output: { $metadata: {} } };
    },
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'flyPresignGetObject', override: true },
  );
  await client.send(command);
  if (!url) throw new Error('presigning produced no URL');
  return url;
}

function formatUrl(request: BuiltRequest): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, item ?? '');
  }
  const port = request.port ? `:${request.port}` : '';
  // URLSearchParams encodes a space as `+`; SigV4 signed the canonical `%20`.
  return `${request.protocol}//${request.hostname}${port}${request.path}?${query.toString().replace(/\+/g, '%20')}`;
}
