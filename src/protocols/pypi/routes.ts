import { normalizeProjectName } from '../../core/pypi/names.js';
import { PYPI_LISTING } from '../../core/pypi/pypi-service.js';
import { downloadFile } from './handlers/files.js';
import { projectJsonApi, releaseJsonApi } from './handlers/json-api.js';
import { projectPage, projectPageFromMemory, projectPageWithoutSlash, redirectTo, rootIndex } from './handlers/simple.js';
import { uploadFile } from './handlers/upload.js';
import type { PypiRoute } from './route.js';

/** Routes naming a project act on that project (normalised, as stored). */
const project = (params: Record<string, string>) => normalizeProjectName(params.project ?? '');
/**
 * The root index lists every project the caller may see; uploads name their project in the body. Both are
 * authorized on the listing (a grant on any project reaches it); the service then checks each name.
 */
const anyPackage = () => PYPI_LISTING;

/** PyPI's own `/pypi/<name>/json` shape: only on the short prefix. */
const SHORT_ONLY = ['/pypi'];

/** Every PyPI endpoint, relative to each prefix (`/pypi`, `/artifactory/api/pypi/pypi`). */
export const PYPI_ROUTES: PypiRoute[] = [
  { method: 'GET', path: '/simple/', action: 'pull', resource: anyPackage, handler: rootIndex },
  { method: 'GET', path: '/simple', action: 'pull', resource: anyPackage, handler: async (c) => redirectTo(c, '/simple/') },
  { method: 'GET', path: '/simple/:project/', action: 'pull', resource: project, handler: projectPage, fromMemory: projectPageFromMemory },
  { method: 'GET', path: '/simple/:project', action: 'pull', resource: project, handler: projectPageWithoutSlash },
  { method: 'GET', path: '/packages/:project/:filename', action: 'pull', resource: project, handler: downloadFile },
  // The upload URL answers with and without the trailing slash (Fastify registers both for '/').
  { method: 'POST', path: '/', action: 'push', resource: anyPackage, handler: uploadFile },
  { method: 'GET', path: '/pypi/:project/json', action: 'pull', resource: project, handler: projectJsonApi },
  { method: 'GET', path: '/pypi/:project/:version/json', action: 'pull', resource: project, handler: releaseJsonApi },
  { method: 'GET', path: '/:project/json', action: 'pull', resource: project, prefixes: SHORT_ONLY, handler: projectJsonApi },
  { method: 'GET', path: '/:project/:version/json', action: 'pull', resource: project, prefixes: SHORT_ONLY, handler: releaseJsonApi },
];
