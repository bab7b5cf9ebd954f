import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors, type AppError } from '../../core/errors.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../../core/hosted-files/checksums.js';
import type { ListingEntry } from '../../core/hosted-files/listing.js';
import type { Download } from '../../core/hosted-files/hosted-packages.js';
import { sendAnswer, type Answer } from '../kit/route.js';
import { wireErrors } from '../kit/wire-errors.js';

/** The realm Maven, Gradle and curl see: a 401 with it makes them send the credentials they hold. */
export const BASIC_CHALLENGE = 'Basic realm="Fly Registry"';

/** Maven prints the reason phrase of a failed transfer: it carries the message (one short Latin-1 line). */
function reasonPhrase(message: string): string {
  return message.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 300);
}

/** A plain-text error, the message also in the reason phrase; a 401 carries the Basic challenge. */
export function sendPlainError(reply: FastifyReply, status: number, message: string, error?: AppError): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', BASIC_CHALLENGE);
  if (error?.code === 'range_invalid') void reply.header('content-range', `bytes */${String(error.details.size)}`);
  reply.raw.statusMessage = reasonPhrase(message);
  return reply.status(status).type('text/plain; charset=utf-8').send(`${status} ${message}\n`);
}

export const sendPlainFailure = wireErrors(sendPlainError);

/** Checksums a client declares for the body it sends, in Artifactory's headers (X-Checksum-Sha256…). */
export function declaredChecksums(request: FastifyRequest): Partial<Record<ChecksumAlgorithm, string>> {
  const declared: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const a of CHECKSUM_ALGORITHMS) {
    const value = request.headers[`x-checksum-${a}`];
    if (typeof value === 'string') declared[a] = value;
  }
  return declared;
}

/**
 * A stored file's answer: its checksums as headers and an ETag, `Range` → 206, a matching `If-None-Match` →
 * 304 (with the same headers); the body is the download's bytes when they are in memory, else none (the
 * caller streams them). `headers` are the protocol's own additions (a generic file's Content-Disposition).
 */
function downloadHead(download: Download, contentType: string, ifNoneMatch: string | undefined, extra: Record<string, string>): Answer {
  const { checksums, lastModified } = download.file;
  const etag = `"${checksums.sha1}"`;
  // Built by adding properties, never `{ ...headers, more }`: that is V8's slow clone, on every request.
  const headers: Record<string, string> = {
    etag,
    'last-modified': lastModified,
    'accept-ranges': 'bytes',
    'x-checksum-md5': checksums.md5,
    'x-checksum-sha1': checksums.sha1,
    'x-checksum-sha256': checksums.sha256,
    'x-checksum-sha512': checksums.sha512,
    'content-type': contentType,
  };
  for (const name in extra) headers[name] = extra[name] as string;
  if (ifNoneMatch === etag) return { status: 304, headers };
  if (!download.range) {
    headers['content-length'] = String(download.size);
    return { status: 200, headers };
  }
  const { start, end } = download.range;
  headers['content-range'] = `bytes ${start}-${end}/${download.size}`;
  headers['content-length'] = String(end - start + 1);
  return { status: 206, headers };
}

/** A download whose bytes are in memory, as one Answer (both lanes send it); undefined for a streamed one. */
export function downloadAnswer(download: Download, contentType: string, ifNoneMatch: string | undefined, extra: Record<string, string> = {}): Answer | undefined {
  const { body } = download;
  return Buffer.isBuffer(body) ? withBytes(downloadHead(download, contentType, ifNoneMatch, extra), body) : undefined;
}

const withBytes = (answer: Answer, body: Buffer): Answer => (answer.status === 304 ? answer : { status: answer.status, headers: answer.headers, body });

/** Sends a stored file (as downloadAnswer answers it), streaming it from the blob store when it is not in memory. */
export function sendDownload(request: FastifyRequest, reply: FastifyReply, download: Download, contentType: string, extra: Record<string, string> = {}): FastifyReply {
  const answer = downloadHead(download, contentType, request.headers['if-none-match'], extra);
  const { body } = download;
  if (Buffer.isBuffer(body)) return sendAnswer(reply, withBytes(answer, body));
  if (answer.status === 304) {
    body.destroy();
    return sendAnswer(reply, answer);
  }
  request.raw.once('close', () => body.destroy());
  return reply.status(answer.status).headers(answer.headers).send(body);
}

/** A checksum body is one line: bounded at 1 KiB. */
export async function readSmallBody(request: FastifyRequest): Promise<string> {
  let text = '';
  for await (const chunk of request.raw) {
    text += (chunk as Buffer).toString('latin1');
    if (text.length > 1024) throw Errors.payloadTooLarge(1024);
  }
  return text;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A directory page a person can browse (and that tools which scrape listings can read). */
export function renderListing(title: string, entries: ListingEntry[]): string {
  const rows = entries.map((e) => {
    const name = e.directory ? `${e.name}/` : e.name;
    const meta = [e.at ? e.at.toISOString().replace('T', ' ').slice(0, 19) : '', e.size === undefined ? '' : String(e.size)].join('  ');
    return `<a href="${encodeURI(name)}">${escapeHtml(name)}</a>  ${meta}`.trimEnd();
  });
  const parent = title === '/' ? '' : '<a href="../">../</a>\n';
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Index of ${escapeHtml(title)}</title></head>\n<body><h1>Index of ${escapeHtml(title)}</h1><pre>\n${parent}${rows.join('\n')}\n</pre></body></html>\n`;
}
