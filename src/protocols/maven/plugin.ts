import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { packageName, parseMavenPath, type ArtifactFile, type MavenPath } from '../../core/maven/layout.js';
import type { MavenRepository } from '../../core/maven/maven-repository.js';
import { requestContext } from '../../http/credentials.js';
import { directoryRedirect, mountPathRoutes } from '../hosted-files/mount.js';
import { bodyOf, declaredChecksums, guard, renderListing, sendDownload } from '../hosted-files/wire.js';

/** The documented mount and its short alias (ARCHITECTURE.md, URL layout). */
export const MAVEN_MOUNTS = ['/artifactory/maven', '/maven'] as const;

export interface MavenPluginOptions {
  core: Core;
  maven: MavenRepository;
}

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
      return 'maven';
  }
}

const CONTENT_TYPES: Record<string, string> = {
  pom: 'application/xml',
  xml: 'application/xml',
  jar: 'application/java-archive',
  module: 'application/json',
  asc: 'text/plain',
};

/** The path below the mount, as the client sent it (still percent-encoded segments are refused by the parser). */
const pathOf = (request: FastifyRequest) => (request.params as { '*'?: string })['*'] ?? '';

const parsed = (request: FastifyRequest) => () => {
  const path = parseMavenPath(pathOf(request));
  return { name: artifactOf(path), value: path };
};

async function get(core: Core, maven: MavenRepository, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { value: path } = await guard(core, request, 'maven', 'pull', parsed(request));
  const resource = await maven.resolve(path);
  switch (resource.kind) {
    case 'file': {
      const download = await maven.open(resource.file, request.headers.range);
      const extension = path.kind === 'file' ? path.extension.split('.').pop() ?? '' : '';
      return sendDownload(request, reply, download, CONTENT_TYPES[extension] ?? 'application/octet-stream');
    }
    case 'text':
      return reply.type(resource.contentType).header('cache-control', 'no-cache').send(resource.text);
    case 'listing': {
      return directoryRedirect(request, reply) ?? reply.type('text/html; charset=utf-8').send(renderListing(`/${resource.path}`, resource.entries));
    }
  }
}

async function put(core: Core, maven: MavenRepository, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { principal, value: path } = await guard(core, request, 'maven', 'push', parsed(request));
  const ctx = requestContext(request);
  switch (path.kind) {
    case 'file':
      await maven.deploy(principal, path, bodyOf(request), declaredChecksums(request), ctx);
      return reply.status(201).send();
    case 'checksum': {
      const text = await readSmall(request);
      await maven.putChecksum(principal, path, text, ctx);
      return reply.status(201).send();
    }
    case 'metadata':
      await maven.putMetadata(path, bodyOf(request));
      return reply.status(201).send();
    case 'directory':
      throw Errors.validation(`${pathOf(request)} is not a file of the Maven 2 layout (group/path/artifactId/version/artifactId-version[-classifier].ext)`);
  }
}

/** DELETE of a version directory removes the version; of a file, that file. */
async function remove(core: Core, maven: MavenRepository, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  type Target = { kind: 'version'; coordinates: { groupId: string; artifactId: string }; version: string } | ArtifactFile;
  const { principal, value: path } = await guard<Target>(core, request, 'maven', 'delete', () => {
    const p = parseMavenPath(`${pathOf(request).replace(/\/$/, '')}`);
    if (p.kind === 'directory' && p.segments.length >= 3) {
      const version = p.segments[p.segments.length - 1] as string;
      const artifactId = p.segments[p.segments.length - 2] as string;
      const coordinates = { groupId: p.segments.slice(0, -2).join('.'), artifactId };
      return { name: packageName(coordinates), value: { kind: 'version' as const, coordinates, version } };
    }
    if (p.kind === 'file') return { name: packageName(p), value: p };
    throw Errors.validation('DELETE takes a version directory (group/path/artifactId/version/) or one of its files');
  });
  const ctx = requestContext(request);
  if (path.kind === 'version') await maven.deleteVersion(principal, path.coordinates, path.version, ctx);
  else await maven.deleteFile(principal, path, ctx);
  return reply.status(204).send();
}

/** A checksum body is one line: bounded at 1 KiB. */
async function readSmall(request: FastifyRequest): Promise<string> {
  let text = '';
  for await (const chunk of bodyOf(request)) {
    text += (chunk as Buffer).toString('latin1');
    if (text.length > 1024) throw Errors.payloadTooLarge(1024);
  }
  return text;
}

async function mavenMount(app: FastifyInstance, { core, maven }: MavenPluginOptions): Promise<void> {
  mountPathRoutes(app, {
    GET: (request, reply) => get(core, maven, request, reply),
    PUT: (request, reply) => put(core, maven, request, reply),
    DELETE: (request, reply) => remove(core, maven, request, reply),
  });
}

/** The Maven 2 repository (deploy, resolve, listings), mounted Artifactory-style and at `/maven`. */
export async function mavenPlugin(app: FastifyInstance, options: MavenPluginOptions): Promise<void> {
  for (const prefix of MAVEN_MOUNTS) await app.register(mavenMount, { ...options, prefix });
}
