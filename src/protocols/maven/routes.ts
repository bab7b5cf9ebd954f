import type { FastifyReply } from 'fastify';
import { Errors } from '../../core/errors.js';
import { packageName, parseMavenPath, type ArtifactFile, type Coordinates, type MavenPath } from '../../core/maven/layout.js';
import type { MavenRepository, MavenResource } from '../../core/maven/maven-repository.js';
import { sendAnswer, type Answer, type MemoryCall } from '../kit/route.js';
import { directoryRedirect, type HostedContext, type HostedRoute } from '../hosted-files/mount.js';
import { bodyOf } from '../kit/bodies.js';
import { memoizedParse } from '../kit/memoized-parse.js';
import { declaredChecksums, downloadAnswer, readSmallBody, renderListing, sendDownload } from '../hosted-files/wire.js';

export type MavenContext = HostedContext<MavenRepository>;
export type MavenRoute = HostedRoute<MavenRepository>;

const pathOf = (params: Record<string, string>) => params['*'] ?? '';

const mavenPath = memoizedParse(parseMavenPath);

/** The request's path in the Maven layout (the kit's `resource`, then the handler), parsed or remembered. */
const mavenPathOf = (params: Record<string, string>): MavenPath => mavenPath(pathOf(params));

/** The artifact a path acts on, for authorization: `groupId:artifactId`, or the whole repository. */
function artifactOf(path: MavenPath): string {
  switch (path.kind) {
    case 'file':
      return packageName(path);
    case 'metadata':
      return packageName(path.coordinates);
    case 'checksum':
      return artifactOf(path.of);
    case 'directory':
      return '*';
  }
}

/** What a DELETE names: a version directory (`group/artifact/version/`) or one file. */
type DeleteTarget = { kind: 'version'; coordinates: Coordinates; version: string } | ArtifactFile;
function deleteTarget(params: Record<string, string>): DeleteTarget {
  const p = parseMavenPath(pathOf(params).replace(/\/$/, ''));
  if (p.kind === 'file') return p;
  if (p.kind === 'directory' && p.segments.length >= 3) {
    const version = p.segments[p.segments.length - 1] as string;
    const artifactId = p.segments[p.segments.length - 2] as string;
    return { kind: 'version', coordinates: { groupId: p.segments.slice(0, -2).join('.'), artifactId }, version };
  }
  throw Errors.validation('DELETE takes a version directory (group/path/artifactId/version/) or one of its files');
}

const CONTENT_TYPES: Record<string, string> = {
  pom: 'application/xml',
  xml: 'application/xml',
  jar: 'application/java-archive',
  module: 'application/json',
  asc: 'text/plain',
};

/** A file's type, from its extension. */
function contentTypeOf(path: MavenPath): string {
  // The last part of a compound extension (`tar.gz` → `gz`).
  const extension = path.kind === 'file' ? path.extension.slice(path.extension.lastIndexOf('.') + 1) : '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** A computed document (maven-metadata.xml, a checksum): always revalidated, it changes with every deploy. */
function textAnswer(resource: MavenResource & { kind: 'text' }): Answer {
  return { status: 200, headers: { 'content-type': resource.contentType, 'cache-control': 'no-cache' }, body: resource.text };
}

async function get(c: MavenContext): Promise<FastifyReply> {
  const path = mavenPathOf(c.params);
  const resource = await c.service.resolve(path);
  switch (resource.kind) {
    case 'file':
      return sendDownload(c.request, c.reply, await c.service.open(resource.file, c.request.headers.range), contentTypeOf(path));
    case 'text':
      return sendAnswer(c.reply, textAnswer(resource));
    case 'listing':
      return directoryRedirect(c.request, c.reply) ?? c.reply.type('text/html; charset=utf-8').send(renderListing(`/${resource.path}`, resource.entries));
  }
}

/** get() when the artifact's view (and for a file its bytes) is in memory; listings go to get(). */
function getFromMemory(c: MemoryCall, service: MavenRepository): Answer | undefined {
  const path = mavenPathOf(c.params);
  const resource = service.resolveInMemory(path);
  switch (resource?.kind) {
    case 'file': {
      const download = service.openInMemory(resource.file, c.headers.range);
      return download && downloadAnswer(download, contentTypeOf(path), c.headers['if-none-match']);
    }
    case 'text':
      return textAnswer(resource);
    default:
      return undefined;
  }
}

async function put(c: MavenContext): Promise<FastifyReply> {
  const path = mavenPathOf(c.params);
  switch (path.kind) {
    case 'file':
      await c.service.deploy(c.principal, path, bodyOf(c.request), declaredChecksums(c.request), c.ctx);
      return c.reply.status(201).send();
    case 'checksum':
      await c.service.putChecksum(c.principal, path, await readSmallBody(c.request), c.ctx);
      return c.reply.status(201).send();
    case 'metadata':
      await c.service.putMetadata(path, bodyOf(c.request));
      return c.reply.status(201).send();
    case 'directory':
      throw Errors.validation(`${pathOf(c.params)} is not a file of the Maven 2 layout (group/path/artifactId/version/artifactId-version[-classifier].ext)`);
  }
}

async function remove(c: MavenContext): Promise<FastifyReply> {
  const target = deleteTarget(c.params);
  if (target.kind === 'version') await c.service.deleteVersion(c.principal, target.coordinates, target.version, c.ctx);
  else await c.service.deleteFile(c.principal, target, c.ctx);
  return c.reply.status(204).send();
}

const resource = (params: Record<string, string>) => artifactOf(mavenPathOf(params));

/** The Maven 2 repository, relative to each prefix: any path of the layout. */
export const MAVEN_ROUTES: MavenRoute[] = [
  { method: 'GET', path: '/', action: 'pull', handler: get },
  { method: 'GET', path: '/*', action: 'pull', resource, handler: get, fromMemory: getFromMemory },
  { method: 'PUT', path: '/*', action: 'push', resource, handler: put },
  {
    method: 'DELETE',
    path: '/*',
    action: 'delete',
    resource: (params) => {
      const target = deleteTarget(params);
      return packageName(target.kind === 'version' ? target.coordinates : target);
    },
    handler: remove,
  },
];
