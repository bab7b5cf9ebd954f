import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { parseGenericPath, type GenericFiles, type GenericPath } from '../../core/generic/generic-files.js';
import { requestContext } from '../../http/credentials.js';
import { directoryRedirect, mountPathRoutes } from '../hosted-files/mount.js';
import { bodyOf, declaredChecksums, guard, renderListing, sendDownload } from '../hosted-files/wire.js';

/** The documented mount and its short alias (ARCHITECTURE.md, URL layout). */
export const GENERIC_MOUNTS = ['/artifactory/api/generic', '/generic'] as const;

export interface GenericPluginOptions {
  core: Core;
  generic: GenericFiles;
}

const pathOf = (request: FastifyRequest) => (request.params as { '*'?: string })['*'] ?? '';

/** The path, parsed after authentication; the artifact authorized is the name (or the whole store). */
const parsed = (request: FastifyRequest) => () => {
  const path = parseGenericPath(pathOf(request));
  return { name: path.kind === 'root' ? 'generic' : path.name, value: path };
};

async function get(core: Core, generic: GenericFiles, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { value: path } = await guard(core, request, 'generic', 'pull', parsed(request));
  if (path.kind === 'file') {
    const download = await generic.open(await generic.file(path.name, path.version, path.file), request.headers.range);
    void reply.header('content-disposition', `attachment; filename="${path.file}"`);
    return sendDownload(request, reply, download, 'application/octet-stream');
  }
  const entries = await generic.listing(path);
  // Scripts (and `flyreg download name@version`) ask for the listing as JSON.
  if (request.headers.accept?.includes('application/json')) return reply.send({ entries });
  return directoryRedirect(request, reply) ?? reply.type('text/html; charset=utf-8').send(renderListing(`/${pathOf(request)}`, entries));
}

async function put(core: Core, generic: GenericFiles, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { principal, value: path } = await guard(core, request, 'generic', 'push', parsed(request));
  if (path.kind !== 'file') throw Errors.validation('Upload to <name>/<version>/<file>');
  const record = await generic.upload(principal, path, bodyOf(request), declaredChecksums(request), requestContext(request));
  const checksums = (await generic.file(path.name, path.version, path.file)).checksums;
  return reply
    .status(201)
    .header('x-checksum-sha256', checksums.sha256)
    .send({ name: path.name, version: path.version, file: path.file, size: record.size, checksums });
}

async function remove(core: Core, generic: GenericFiles, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { principal, value: path } = await guard<GenericPath>(core, request, 'generic', 'delete', parsed(request));
  const ctx = requestContext(request);
  if (path.kind === 'file') await generic.deleteFile(principal, path, ctx);
  else if (path.kind === 'version') await generic.deleteVersion(principal, path.name, path.version, ctx);
  else throw Errors.validation('DELETE takes <name>/<version>/ (the whole version) or <name>/<version>/<file>');
  return reply.status(204).send();
}

async function genericMount(app: FastifyInstance, { core, generic }: GenericPluginOptions): Promise<void> {
  mountPathRoutes(app, {
    GET: (request, reply) => get(core, generic, request, reply),
    PUT: (request, reply) => put(core, generic, request, reply),
    DELETE: (request, reply) => remove(core, generic, request, reply),
  });
}

/** Generic files (`<name>/<version>/<file>`), mounted Artifactory-style and at `/generic`. */
export async function genericPlugin(app: FastifyInstance, options: GenericPluginOptions): Promise<void> {
  for (const prefix of GENERIC_MOUNTS) await app.register(genericMount, { ...options, prefix });
}
