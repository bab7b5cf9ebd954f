import type { FastifyReply } from 'fastify';
import { Errors } from '../../core/errors.js';
import { parseGenericPath, type GenericFiles } from '../../core/generic/generic-files.js';
import type { Answer, MemoryCall } from '../kit/route.js';
import { memoizedParse } from '../kit/memoized-parse.js';
import { directoryRedirect, type HostedContext, type HostedRoute } from '../hosted-files/mount.js';
import { bodyOf } from '../kit/bodies.js';
import { declaredChecksums, downloadAnswer, renderListing, sendDownload } from '../hosted-files/wire.js';

export type GenericContext = HostedContext<GenericFiles>;
export type GenericRoute = HostedRoute<GenericFiles>;

const pathOf = (params: Record<string, string>) => params['*'] ?? '';

const genericPath = memoizedParse(parseGenericPath);

/** The request's path (the kit's `resource`, then the handler), parsed or remembered. */
const genericPathOf = (params: Record<string, string>) => genericPath(pathOf(params));

/** A file is saved under its own name. */
const disposition = (file: string) => ({ 'content-disposition': `attachment; filename="${file}"` });

async function get(c: GenericContext): Promise<FastifyReply> {
  const path = genericPathOf(c.params);
  if (path.kind === 'file') {
    const download = await c.service.open(await c.service.file(path.name, path.version, path.file), c.request.headers.range);
    return sendDownload(c.request, c.reply, download, 'application/octet-stream', disposition(path.file));
  }
  const entries = await c.service.listing(path);
  // Scripts (and `flyreg download name@version`) ask for the listing as JSON.
  if (c.request.headers.accept?.includes('application/json')) return c.reply.send({ entries });
  return directoryRedirect(c.request, c.reply) ?? c.reply.type('text/html; charset=utf-8').send(renderListing(`/${pathOf(c.params)}`, entries));
}

/** get() for a small file whose package view and bytes are in memory; listings go to get(). */
function getFromMemory(c: MemoryCall, service: GenericFiles): Answer | undefined {
  const path = genericPathOf(c.params);
  if (path.kind !== 'file') return undefined;
  const file = service.fileInMemory(path.name, path.version, path.file);
  const download = file && service.openInMemory(file, c.headers.range);
  return download && downloadAnswer(download, 'application/octet-stream', c.headers['if-none-match'], disposition(path.file));
}

async function put(c: GenericContext): Promise<FastifyReply> {
  const path = genericPathOf(c.params);
  if (path.kind !== 'file') throw Errors.validation('Upload to <name>/<version>/<file>');
  const record = await c.service.upload(c.principal, path, bodyOf(c.request), declaredChecksums(c.request), c.ctx);
  const { checksums } = await c.service.file(path.name, path.version, path.file);
  return c.reply
    .status(201)
    .header('x-checksum-sha256', checksums.sha256)
    .send({ name: path.name, version: path.version, file: path.file, size: record.size, checksums });
}

async function remove(c: GenericContext): Promise<FastifyReply> {
  const path = genericPathOf(c.params);
  if (path.kind === 'file') await c.service.deleteFile(c.principal, path, c.ctx);
  else if (path.kind === 'version') await c.service.deleteVersion(c.principal, path.name, path.version, c.ctx);
  else throw Errors.validation('DELETE takes <name>/<version>/ (the whole version) or <name>/<version>/<file>');
  return c.reply.status(204).send();
}

/** The name a path acts on (authorized as the artifact), or the whole store for the root listing. */
const resource = (params: Record<string, string>) => {
  const path = genericPathOf(params);
  return path.kind === 'root' ? '*' : path.name;
};

/** Generic files, relative to each prefix: `<name>/<version>/<file>` and the listings above it. */
export const GENERIC_ROUTES: GenericRoute[] = [
  { method: 'GET', path: '/', action: 'pull', handler: get },
  { method: 'GET', path: '/*', action: 'pull', resource, handler: get, fromMemory: getFromMemory },
  { method: 'PUT', path: '/*', action: 'push', resource, handler: put },
  { method: 'DELETE', path: '/*', action: 'delete', resource, handler: remove },
];
