import { CARGO_LISTING, MAX_CRATE_BYTES } from '../../core/cargo/crates.js';
import { normalizeCrateName } from '../../core/cargo/names.js';
import { config, download, indexFile, indexFileFromMemory, publish, removeVersion, yank } from './handlers.js';
import type { CargoRoute } from './route.js';

/** The crate a route acts on (normalised), from its name parameter or the index file's last segment. */
const named = (params: Record<string, string>) => normalizeCrateName(params.name ?? params['*']?.split('/').pop() ?? '');
/** The registry's configuration and publish name no crate: any crate's grant reaches them (core authorizes publish's crate). */
const listing = () => CARGO_LISTING;

/** The publish body: length-prefixed JSON metadata, then the .crate (read as a stream by core). */
const PUBLISH_BODY_LIMIT = MAX_CRATE_BYTES + 2 * 1024 * 1024;

/** The sparse index and the web API, relative to each prefix; every request needs the token (auth-required). */
export const CARGO_ROUTES: CargoRoute[] = [
  { method: 'GET', path: '/index/config.json', action: 'pull', resource: listing, handler: config },
  { method: 'GET', path: '/index/*', action: 'pull', resource: named, handler: indexFile, fromMemory: indexFileFromMemory },
  { method: 'GET', path: '/api/v1/crates/:name/:version/download', action: 'pull', resource: named, handler: download },
  { method: 'PUT', path: '/api/v1/crates/new', action: 'push', resource: listing, bodyLimit: PUBLISH_BODY_LIMIT, handler: publish },
  { method: 'DELETE', path: '/api/v1/crates/:name/:version/yank', action: 'push', resource: named, handler: yank(true) },
  { method: 'PUT', path: '/api/v1/crates/:name/:version/unyank', action: 'push', resource: named, handler: yank(false) },
  // Not a cargo command (cargo only yanks): an administrator's cleanup, after which `flyreg gc` reclaims the file.
  { method: 'DELETE', path: '/api/v1/crates/:name/:version', action: 'delete', resource: named, handler: removeVersion },
];
