import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors, type AppError } from '../../core/errors.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../../core/hosted-files/checksums.js';
import type { ListingEntry } from '../../core/hosted-files/listing.js';
import type { Download } from '../../core/hosted-files/hosted-packages.js';
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

/** Streams a stored file: its checksums as headers and an ETag, `Range` → 206. */
export function sendDownload(request: FastifyRequest, reply: FastifyReply, download: Download, contentType: string): FastifyReply {
  const { checksums, lastModified } = download.file;
  const etag = `"${checksums.sha1}"`;
  void reply
    .header('etag', etag)
    .header('last-modified', lastModified)
    .header('accept-ranges', 'bytes')
    .header('x-checksum-md5', checksums.md5)
    .header('x-checksum-sha1', checksums.sha1)
    .header('x-checksum-sha256', checksums.sha256)
    .header('x-checksum-sha512', checksums.sha512)
    .type(contentType);
  const { body } = download;
  if (!Buffer.isBuffer(body)) request.raw.once('close', () => body.destroy());
  if (request.headers['if-none-match'] === etag) {
    if (!Buffer.isBuffer(body)) body.destroy();
    return reply.status(304).send();
  }
  if (download.range) {
    const { start, end } = download.range;
    void reply.status(206).header('content-range', `bytes ${start}-${end}/${download.size}`).header('content-length', String(end - start + 1));
  } else {
    void reply.header('content-length', String(download.size));
  }
  return reply.send(body);
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
