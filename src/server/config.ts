import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Errors } from '../core/errors.js';
import { parseInput } from '../core/validation.js';
import { parseS3Url, type S3Location } from '../storage/blobs/s3-location.js';

/**
 * Every setting, its environment variable and its `flyreg serve` flag. This is the only module that reads
 * configuration; the parsed Config is passed down to constructors.
 */
export const SETTINGS = {
  port: { env: 'FLY_PORT', flag: '--port <port>', help: 'TCP port to listen on (0 = any free port)', default: '8080' },
  host: { env: 'FLY_HOST', flag: '--host <host>', help: 'address to bind', default: '0.0.0.0' },
  dataDir: { env: 'FLY_DATA_DIR', flag: '--data-dir <dir>', help: 'where the SQLite database and blobs live', default: './data' },
  databaseUrl: { env: 'FLY_DATABASE_URL', flag: '--database-url <url>', help: 'postgres://… for PostgreSQL; default: SQLite file in the data dir' },
  databaseTimeoutSeconds: { env: 'FLY_DATABASE_TIMEOUT', flag: '--database-timeout <seconds>', help: 'PostgreSQL: the longest wait for a connection, and for one statement, before a request is answered 503', default: '15' },
  publicUrl: { env: 'FLY_PUBLIC_URL', flag: '--public-url <url>', help: 'base URL printed in snippets; default http://localhost:<port>' },
  adminUsername: { env: 'FLY_ADMIN_USERNAME', flag: '--admin-username <name>', help: 'first admin, created when there are no users' },
  adminPassword: { env: 'FLY_ADMIN_PASSWORD', flag: '--admin-password <password>', help: "first admin's password (else one is generated and printed once)" },
  workers: { env: 'FLY_WORKERS', flag: '--workers <n>', help: 'server processes sharing the port (1 = a single process)', default: 'the number of cores' },
  logLevel: { env: 'FLY_LOG_LEVEL', flag: '--log-level <level>', help: 'fatal|error|warn|info|debug', default: 'info' },
  authFailureLimit: { env: 'FLY_AUTH_FAILURE_LIMIT', flag: '--auth-failure-limit <n>', help: 'failed authentications per address per window before 429', default: '20' },
  authFailureWindowSeconds: { env: 'FLY_AUTH_FAILURE_WINDOW', flag: '--auth-failure-window <seconds>', help: 'length of that window', default: '60' },
  tokenCacheTtlMs: { env: 'FLY_TOKEN_CACHE_TTL_MS', flag: '--token-cache-ttl-ms <ms>', help: 'how long a verified token stays cached (revocation drops it at once)', default: '5000' },
  tokenExpiryWarningDays: { env: 'FLY_TOKEN_EXPIRY_WARNING_DAYS', flag: '--token-expiry-warning-days <days>', help: 'a token expiring within this many days is "expiring soon" (dashboard, API, client notices)', default: '7' },
  sessionTtlHours: { env: 'FLY_SESSION_TTL_HOURS', flag: '--session-ttl-hours <h>', help: 'login session lifetime', default: '336' },
  npmWebLoginTtlSeconds: { env: 'FLY_NPM_WEB_LOGIN_TTL', flag: '--npm-web-login-ttl <seconds>', help: 'how long an `npm login` waits for approval in the browser', default: '600' },
  oidcKeyCacheSeconds: { env: 'FLY_OIDC_KEY_CACHE_SECONDS', flag: '--oidc-key-cache-seconds <s>', help: "how long a CI issuer's discovery document and signing keys stay cached", default: '600' },
  trustProxy: { env: 'FLY_TRUST_PROXY', flag: '--trust-proxy <bool>', help: 'take client addresses from X-Forwarded-For', default: 'false' },
  bodyMemoryMb: { env: 'FLY_BODY_MEMORY_MB', flag: '--body-memory-mb <mb>', help: 'request bodies read whole (npm publishes, OCI manifests, management API JSON) held in memory at once; past it 503 to retry', default: '100' },
  npmMaxBodyMb: { env: 'FLY_NPM_MAX_BODY_MB', flag: '--npm-max-body-mb <mb>', help: 'largest npm publish request (base64 tarball inside JSON)', default: '100' },
  headersTimeoutSeconds: { env: 'FLY_HEADERS_TIMEOUT', flag: '--headers-timeout <seconds>', help: "a request's headers must arrive within this time", default: '30' },
  keepAliveTimeoutSeconds: { env: 'FLY_KEEP_ALIVE_TIMEOUT', flag: '--keep-alive-timeout <seconds>', help: 'an idle keep-alive connection is closed after this time', default: '5' },
  socketTimeoutSeconds: { env: 'FLY_SOCKET_TIMEOUT', flag: '--socket-timeout <seconds>', help: 'a connection with no bytes moving either way for this time is closed', default: '120' },
  requestTimeoutSeconds: { env: 'FLY_REQUEST_TIMEOUT', flag: '--request-timeout <seconds>', help: 'a whole request (headers and body) must arrive within this time', default: '3600' },
  shutdownTimeoutSeconds: { env: 'FLY_SHUTDOWN_TIMEOUT', flag: '--shutdown-timeout <seconds>', help: 'on SIGTERM, how long requests in flight may still take (keep it below the pod grace period)', default: '20' },
  uploadAbandonSeconds: { env: 'FLY_UPLOAD_ABANDON_SECONDS', flag: '--upload-abandon-seconds <s>', help: 'an upload session untouched this long is abandoned and its space reclaimed', default: '3600' },
  ociMaxUploads: { env: 'FLY_OCI_MAX_UPLOADS', flag: '--oci-max-uploads <n>', help: 'open blob upload sessions one token may hold at once (more are refused with 429)', default: '100' },
  pullFlushMs: { env: 'FLY_PULL_FLUSH_MS', flag: '--pull-flush-ms <ms>', help: 'how often recorded pulls are written; a crash (not a SIGTERM) loses at most this much', default: '250' },
  blobStore: { env: 'FLY_BLOB_STORE', flag: '--blob-store <url>', help: 's3://bucket[/prefix] for an S3-compatible store; default: files in the data dir' },
  s3Endpoint: { env: 'FLY_S3_ENDPOINT', flag: '--s3-endpoint <url>', help: 'S3 API endpoint (MinIO, Ceph RGW, R2…); default: AWS S3' },
  s3Region: { env: 'FLY_S3_REGION', flag: '--s3-region <region>', help: 'S3 region (signing region for other stores)', default: 'us-east-1' },
  s3AccessKeyId: { env: 'FLY_S3_ACCESS_KEY_ID', flag: '--s3-access-key-id <id>', help: "S3 access key; default: the AWS SDK's credential chain" },
  s3SecretAccessKey: { env: 'FLY_S3_SECRET_ACCESS_KEY', flag: '--s3-secret-access-key <secret>', help: 'S3 secret key (prefer the environment variable)' },
  s3ForcePathStyle: { env: 'FLY_S3_FORCE_PATH_STYLE', flag: '--s3-force-path-style <bool>', help: 'address buckets as endpoint/bucket (most self-hosted stores)', default: 'false' },
  s3TimeoutSeconds: { env: 'FLY_S3_TIMEOUT', flag: '--s3-timeout <seconds>', help: 'a request to the S3 store that cannot connect, or moves no bytes, for this long fails (the client gets 503)', default: '30' },
  blobRedirect: { env: 'FLY_BLOB_REDIRECT', flag: '--blob-redirect <bool>', help: 'answer blob downloads with a redirect to a pre-signed S3 URL', default: 'false' },
  smtpUrl: { env: 'FLY_SMTP_URL', flag: '--smtp-url <url>', help: 'smtp://user:pass@host:587 or smtps://… to email token creators and invitations; default: no email' },
  smtpFrom: { env: 'FLY_SMTP_FROM', flag: '--smtp-from <address>', help: 'the From address of those emails', default: 'Fly Registry <fly-registry@localhost>' },
  secretScanningKeys: { env: 'FLY_SECRET_SCANNING_KEYS', flag: '--secret-scanning-keys <json|file>', help: "secret scanners' public keys: GitHub's {\"public_keys\":[…]} document, or the path of a file holding it" },
  expiryCheckSeconds: { env: 'FLY_EXPIRY_CHECK_SECONDS', flag: '--expiry-check-seconds <s>', help: 'how often tokens are checked for expiring soon / expired', default: '300' },
  notifyIntervalMs: { env: 'FLY_NOTIFY_INTERVAL_MS', flag: '--notify-interval-ms <ms>', help: 'how often queued notifications are fanned out and due deliveries sent', default: '2000' },
  webhookRetrySeconds: { env: 'FLY_WEBHOOK_RETRY_SECONDS', flag: '--webhook-retry-seconds <s>', help: 'first retry delay of a failed delivery (doubling, 8 attempts in all)', default: '30' },
} as const;

export type SettingName = keyof typeof SETTINGS;
export type RawSettings = Partial<Record<SettingName, string | undefined>>;

const boolText = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const intText = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  port: intText(0, 65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z.string().min(1).optional(),
  databaseTimeoutSeconds: intText(1, 3600),
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  adminUsername: z.string().optional(),
  adminPassword: z.string().optional(),
  workers: z.union([z.literal('the number of cores'), intText(1, 256)]),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  authFailureLimit: intText(1, 1_000_000),
  authFailureWindowSeconds: intText(1, 86_400),
  tokenCacheTtlMs: intText(0, 60_000),
  tokenExpiryWarningDays: intText(0, 365),
  sessionTtlHours: intText(1, 24 * 365),
  npmWebLoginTtlSeconds: intText(1, 86_400),
  oidcKeyCacheSeconds: intText(1, 86_400),
  trustProxy: boolText,
  bodyMemoryMb: intText(1, 65_536),
  npmMaxBodyMb: intText(1, 4096),
  pullFlushMs: intText(20, 10_000),
  uploadAbandonSeconds: intText(1, 30 * 86_400),
  ociMaxUploads: intText(1, 1_000_000),
  headersTimeoutSeconds: intText(1, 3600),
  keepAliveTimeoutSeconds: intText(1, 3600),
  socketTimeoutSeconds: intText(1, 86_400),
  requestTimeoutSeconds: intText(1, 86_400),
  shutdownTimeoutSeconds: intText(0, 3600),
  blobStore: z.string().startsWith('s3://', 'must be s3://<bucket>[/<prefix>] (or unset for the data dir)').optional(),
  s3Endpoint: z.url({ protocol: /^https?$/ }).optional(),
  s3Region: z.string().min(1),
  s3AccessKeyId: z.string().optional(),
  s3SecretAccessKey: z.string().optional(),
  s3ForcePathStyle: boolText,
  s3TimeoutSeconds: intText(1, 3600),
  blobRedirect: boolText,
  smtpUrl: z.url({ protocol: /^smtps?$/, error: 'must be smtp://… or smtps://…' }).optional(),
  smtpFrom: z.string().min(3).max(320),
  secretScanningKeys: z.string().min(1).optional(),
  expiryCheckSeconds: intText(1, 86_400),
  notifyIntervalMs: intText(50, 600_000),
  webhookRetrySeconds: intText(1, 3600),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  /** PostgreSQL: the longest wait for a connection, and for one statement (migrations and `flyreg gc` have none). */
  databaseTimeoutMs: number;
  /** Undefined until the port is known when it was 0; see withPublicUrl. */
  publicUrl: URL | undefined;
  admin: { username?: string; password?: string };
  /** Server processes sharing the port; 1 runs the server in this process. */
  workers: number;
  logLevel: string;
  authFailures: { max: number; windowMs: number };
  tokenCacheTtlMs: number;
  /** How long before its expiry a token is "expiring soon" (0 = never warn). */
  tokenExpiryWarningMs: number;
  sessionTtlMs: number;
  npmWebLoginTtlMs: number;
  /** How long an OIDC issuer's discovery document and JWKS are cached (a key it drops stops working after this). */
  oidcKeyCacheMs: number;
  trustProxy: boolean;
  npm: { maxBodyBytes: number };
  /** Bytes of request bodies read whole that this process holds at once (core/body-memory.ts). */
  bodyMemoryBytes: number;
  pullFlushMs: number;
  uploadAbandonMs: number;
  /** Open OCI upload sessions per token (or login session). */
  ociMaxUploads: number;
  http: HttpTimeouts;
  /** Where blobs live: files under the data dir (one machine) or an S3-compatible bucket (any number of replicas). */
  blobs: BlobStoreConfig;
  notifications: NotificationConfig;
}

/** Leak reports, webhooks and email (see README, "Leak reports and notifications"). */
export interface NotificationConfig {
  smtp: { url: string; from: string } | null;
  /** GitHub's public-keys JSON document, read from the file when the setting named one. */
  secretScanningKeys: string | null;
  expiryCheckMs: number;
  intervalMs: number;
  retryBaseMs: number;
}

/**
 * Connection timeouts: short for what a client that is not working stalls (headers, idle keep-alive,
 * a silent socket), long for a whole request, so slow large uploads that keep moving bytes succeed.
 */
export interface HttpTimeouts {
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  socketTimeoutMs: number;
  requestTimeoutMs: number;
  /** On SIGTERM: the deadline for requests in flight, after which their connections are cut. */
  shutdownTimeoutMs: number;
}

export type BlobStoreConfig =
  | { kind: 'filesystem'; root: string }
  | {
      kind: 's3';
      location: S3Location;
      endpoint?: string;
      region: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
      /** A request that cannot connect, or moves no bytes, for this long fails. */
      timeoutMs: number;
      /** Redirect blob downloads to pre-signed URLs. */
      redirect: boolean;
    };

/** Flags win over environment variables, which win over defaults. */
export function parseConfig(env: Record<string, string | undefined>, flags: RawSettings = {}): Config {
  const raw: Record<string, string | undefined> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const fromEnv = env[setting.env];
    raw[name] = flags[name] ?? (fromEnv === '' ? undefined : fromEnv) ?? ('default' in setting ? setting.default : undefined);
  }
  const s = parseInput(schema, raw, 'Configuration');
  const dataDir = resolve(s.dataDir);
  return {
    port: s.port,
    host: s.host,
    dataDir,
    databaseUrl: s.databaseUrl ?? `sqlite:${resolve(dataDir, 'fly.db')}`,
    databaseTimeoutMs: s.databaseTimeoutSeconds * 1000,
    publicUrl: s.publicUrl ? new URL(s.publicUrl) : s.port === 0 ? undefined : new URL(`http://localhost:${s.port}`),
    admin: { username: s.adminUsername || undefined, password: s.adminPassword || undefined },
    workers: s.workers === 'the number of cores' ? availableParallelism() : s.workers,
    logLevel: s.logLevel,
    authFailures: { max: s.authFailureLimit, windowMs: s.authFailureWindowSeconds * 1000 },
    tokenCacheTtlMs: s.tokenCacheTtlMs,
    tokenExpiryWarningMs: s.tokenExpiryWarningDays * 86_400_000,
    sessionTtlMs: s.sessionTtlHours * 3600 * 1000,
    npmWebLoginTtlMs: s.npmWebLoginTtlSeconds * 1000,
    oidcKeyCacheMs: s.oidcKeyCacheSeconds * 1000,
    trustProxy: s.trustProxy,
    npm: { maxBodyBytes: s.npmMaxBodyMb * 1024 * 1024 },
    bodyMemoryBytes: s.bodyMemoryMb * 1024 * 1024,
    pullFlushMs: s.pullFlushMs,
    uploadAbandonMs: s.uploadAbandonSeconds * 1000,
    ociMaxUploads: s.ociMaxUploads,
    http: {
      headersTimeoutMs: s.headersTimeoutSeconds * 1000,
      keepAliveTimeoutMs: s.keepAliveTimeoutSeconds * 1000,
      socketTimeoutMs: s.socketTimeoutSeconds * 1000,
      requestTimeoutMs: s.requestTimeoutSeconds * 1000,
      shutdownTimeoutMs: s.shutdownTimeoutSeconds * 1000,
    },
    blobs: blobStoreConfig(s, dataDir),
    notifications: {
      smtp: s.smtpUrl ? { url: s.smtpUrl, from: s.smtpFrom } : null,
      secretScanningKeys: s.secretScanningKeys === undefined ? null : keysDocument(s.secretScanningKeys),
      expiryCheckMs: s.expiryCheckSeconds * 1000,
      intervalMs: s.notifyIntervalMs,
      retryBaseMs: s.webhookRetrySeconds * 1000,
    },
  };
}

/** The setting is the JSON document itself, or the path of a file holding it (as GitHub's API serves it). */
function keysDocument(value: string): string {
  if (value.trimStart().startsWith('{')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw Errors.validation(`Configuration is invalid: FLY_SECRET_SCANNING_KEYS: cannot read ${value}: ${(error as Error).message}`, [
      { path: 'secretScanningKeys', message: 'unreadable file' },
    ]);
  }
}

function blobStoreConfig(s: z.output<typeof schema>, dataDir: string): BlobStoreConfig {
  if (!s.blobStore) {
    if (s.blobRedirect) throw Errors.validation('Configuration is invalid: FLY_BLOB_REDIRECT needs FLY_BLOB_STORE=s3://…', [{ path: 'blobRedirect', message: 'needs an S3 blob store' }]);
    return { kind: 'filesystem', root: resolve(dataDir, 'blobs') };
  }
  if (Boolean(s.s3AccessKeyId) !== Boolean(s.s3SecretAccessKey)) {
    throw Errors.validation('Configuration is invalid: give both FLY_S3_ACCESS_KEY_ID and FLY_S3_SECRET_ACCESS_KEY, or neither', [
      { path: 's3AccessKeyId', message: 'needs its secret' },
    ]);
  }
  try {
    parseS3Url(s.blobStore);
  } catch (error) {
    throw Errors.validation(`Configuration is invalid: FLY_BLOB_STORE: ${(error as Error).message}`, [{ path: 'blobStore', message: (error as Error).message }]);
  }
  return {
    kind: 's3',
    location: parseS3Url(s.blobStore),
    endpoint: s.s3Endpoint,
    region: s.s3Region,
    accessKeyId: s.s3AccessKeyId || undefined,
    secretAccessKey: s.s3SecretAccessKey || undefined,
    forcePathStyle: s.s3ForcePathStyle,
    timeoutMs: s.s3TimeoutSeconds * 1000,
    redirect: s.blobRedirect,
  };
}
