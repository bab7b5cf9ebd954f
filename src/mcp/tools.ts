import { parseArtifactSpec } from '../client/artifact-spec.js';
import { defaultExpiry, defaultPermission } from '../client/token-defaults.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatScopeEntry, PERMISSIONS, type ScopeGrant } from '../api/answers.js';
import { z } from 'zod';
import { parseExpiry } from '../client/expiry.js';
import { applyPlan, PACKAGE_MANAGERS } from '../client/package-managers/configure.js';
import { prepareSetup } from '../client/setup-package-manager.js';
import { findToken } from '../client/token-lookup.js';
import type { McpBackend } from './backend.js';
import { shortClient } from './short-client.js';
import { guarded, ok } from './tool-result.js';

const environmentName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens');
const ENVIRONMENT_NAME = 'Runtime environment name, e.g. "production" or "staging" (lowercase letters, digits, hyphens)';

const expiry = z
  .string()
  .optional()
  .describe(
    'When the token stops working: "never", a duration from now such as "30d", "12h" or "4w", or an ISO-8601 date/date-time such as "2030-01-31" ' +
      '(until the end of that day). Default: 30 days, or never for an environment token (as in the dashboard and the CLI)',
  );

/** The registry's tools for coding agents, registered once and served over stdio and Streamable HTTP alike. */
export function registerTools(server: McpServer, backend: McpBackend): void {
  server.registerTool(
    'create_token',
    {
      title: 'Create a registry token',
      description:
        'Create a Fly Registry token for Docker/OCI, npm or pip clients. Returns the secret (shown only this once: hand it to the user or ' +
        'put it straight into the client configuration, never into logs or commits) and ready-to-paste snippets. Use permission ' +
        '"read-only" to pull/install and "read-write" to also push/publish. Set environment to scope it to a runtime environment ' +
        '(every image pull with it is then recorded as a deployment there); environment tokens are usually read-only.',
      inputSchema: {
        name: z.string().min(1).max(100).describe('Required. What the token is for, shown in the token list, e.g. "production deploy"'),
        permission: z
          .enum(['read-only', 'read-write'])
          .optional()
          .describe('"read-only": pull and install only; "read-write": also push and publish. Required unless environment is given (then read-only by default)'),
        expires: expiry,
        environment: environmentName.optional().describe(`${ENVIRONMENT_NAME}. Scopes the token to it`),
        scope: z
          .array(z.string().max(250))
          .min(1)
          .max(50)
          .optional()
          .describe(
            'Limit the token to resources matching these patterns, each "protocol:pattern": "oci:team/api" (one image repository), "oci:team/*", ' +
              '"npm:@acme/*", "pypi:acme-*", "maven:com.acme.*". A pattern is an exact name or ends with "*". Omit for the whole registry. ' +
              'E.g. a read-only token for staging that can only pull team/api: permission "read-only", environment "staging", scope ["oci:team/api"]',
          ),
        createEnvironment: z
          .boolean()
          .optional()
          .describe(
            'true: when environment does not exist yet, create it and its token in this one call. Left out or false, a missing ' +
              'environment is refused, so a mistyped name never makes a new environment',
          ),
      },
      annotations: { destructiveHint: false, idempotentHint: false },
    },
    ({ name, permission, expires, environment, scope, createEnvironment }) =>
      guarded(async () => {
        const client = backend.client();
        const request = {
          name,
          permission: permission ?? defaultPermission(Boolean(environment)),
          expiresAt: parseExpiry(expires ?? defaultExpiry(Boolean(environment)), new Date()),
          ...(scope ? { scope } : {}),
        };
        const secretShown = 'The secret is shown only this once.';
        const reachOf = (t: { scope: readonly ScopeGrant[] | null }) => (t.scope ? `, limited to ${t.scope.map(formatScopeEntry).join(', ')}` : '');
        if (environment && createEnvironment && !(await client.listEnvironments()).some((e) => e.name === environment)) {
          // One API call creates both, in one transaction: never an environment left without the token asked for.
          const { token } = await client.createEnvironment({ name: environment, token: request });
          if (!token) throw new Error(`the registry created environment "${environment}" but returned no token`);
          return ok(`Created environment "${environment}" and its ${token.permission} token "${token.name}" (username ${token.username}${reachOf(token)}). ${secretShown}`, {
            ...token,
            environmentCreated: true,
          });
        }
        const created = await client.createToken({ ...request, ...(environment ? { environment } : {}) });
        return ok(`Created ${created.permission} token "${created.name}" (username ${created.username}${reachOf(created)}). ${secretShown}`, created);
      }),
  );

  server.registerTool(
    'list_tokens',
    {
      title: 'List registry tokens',
      description:
        "List the team's registry tokens with name, username, permission, creator, expiry, status (active, expired, revoked) and last use " +
        '(the client shortened to its first two words). Secrets are never listed.',
      inputSchema: {
        status: z.enum(['active', 'expired', 'revoked']).optional().describe('Only tokens with this status'),
        name: z.string().optional().describe('Only tokens with exactly this name'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ status, name }) =>
      guarded(async () => {
        const tokens = (await backend.client().listTokens())
          .filter((t) => (!status || t.status === status) && (!name || t.name === name))
          .map((t) => ({ ...t, lastUsedClient: shortClient(t.lastUsedClient) }));
        return ok(`${tokens.length} token(s).`, { tokens });
      }),
  );

  server.registerTool(
    'revoke_token',
    {
      title: 'Revoke a registry token',
      description:
        'Revoke a registry token at once and for good: every client using it is refused from its next request. Admins may revoke any ' +
        'token, developers only the tokens they created. Name the token by id, or by name when only one token has that name.',
      inputSchema: { token: z.string().min(1).describe('Required. The token id (from list_tokens), or its name when it is unique') },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    ({ token }) =>
      guarded(async () => {
        const client = backend.client();
        const target = findToken(await client.listTokens(), token);
        const result = await client.revokeToken(target.id);
        return ok(`${result.message}: "${target.name}" (${target.id}).`, result);
      }),
  );

  server.registerTool(
    'rotate_token',
    {
      title: 'Rotate a registry token',
      description:
        'Give a registry token a new secret and keep everything else (name, username, permission, environment; an expiring token gets its ' +
        'lifetime again from now). The new secret is returned only this once, with refreshed snippets (and, for environment tokens, the ' +
        'new Kubernetes pull-secret manifest). The old secret keeps working for overlap_seconds (default 86400 = 24 h, 0 = stops at once, ' +
        'at most 2592000 = 30 days), then is refused as if revoked. Admins may rotate any token, developers only their own.',
      inputSchema: {
        token: z.string().min(1).describe('Required. The token id (from list_tokens), or its name when it is unique'),
        overlap_seconds: z.number().int().min(0).max(2_592_000).optional().describe('How long the old secret keeps working, in seconds (default 86400)'),
      },
      annotations: { destructiveHint: false, idempotentHint: false },
    },
    ({ token, overlap_seconds }) =>
      guarded(async () => {
        const client = backend.client();
        const target = findToken(await client.listTokens(), token);
        const rotated = await client.rotateToken(target.id, overlap_seconds);
        return ok(
          `Rotated token "${rotated.name}" (username ${rotated.username}). The new secret is shown only this once; the old one works until ${rotated.previousSecretRetiresAt}.`,
          rotated,
        );
      }),
  );

  server.registerTool(
    'delete_token',
    {
      title: 'Delete a revoked or expired token',
      description:
        'Delete a registry token from the list. Only revoked or expired tokens can be deleted (revoke an active one first with ' +
        'revoke_token); admins may delete any, developers only the tokens they created. Name it by id, or by name when unique.',
      inputSchema: { token: z.string().min(1).describe('Required. The token id (from list_tokens), or its name when it is unique') },
      annotations: { destructiveHint: true, idempotentHint: false },
    },
    ({ token }) =>
      guarded(async () => {
        const client = backend.client();
        const target = findToken(await client.listTokens(), token);
        await client.deleteToken(target.id);
        return ok(`Deleted token "${target.name}" (${target.id}).`, { deleted: true, id: target.id, name: target.name });
      }),
  );

  server.registerTool(
    'create_release',
    {
      title: 'Record a release',
      description:
        'Record an immutable release: a name and version with the artifacts it consists of, which must already be in the registry. ' +
        'Artifacts are written as "oci:<repository>@sha256:<digest>", "npm:<name>@<version>" or "pypi:<name>==<version>". Drift ' +
        '(environment_status) compares what environments run with the newest release.',
      inputSchema: {
        name: z.string().min(1).max(200).describe('Required. The release name, e.g. "shop/api"'),
        version: z.string().min(1).max(100).describe('Required. The release version, e.g. "1.4.0"'),
        artifacts: z.array(z.string().min(1)).min(1).max(100).describe('Required. At least one artifact, e.g. ["oci:shop/api@sha256:…"]'),
        commit: z.string().max(200).optional().describe('The source commit'),
        notes: z.string().max(10_000).optional().describe('Release notes'),
      },
      annotations: { destructiveHint: false, idempotentHint: false },
    },
    ({ name, version, artifacts, commit, notes }) =>
      guarded(async () => {
        const release = await backend.client().createRelease({
          name,
          version,
          artifacts: artifacts.map(parseArtifactSpec),
          ...(commit ? { source: { commit } } : {}),
          ...(notes ? { notes } : {}),
        });
        return ok(`Recorded release ${release.name} ${release.version} (id ${release.id}) with ${release.artifacts.length} artifact(s).`, release);
      }),
  );

  server.registerTool(
    'create_environment',
    {
      title: 'Create a runtime environment',
      description:
        'Create a runtime environment (e.g. production, staging). Tokens scoped to it turn every image pull into a deployment record, ' +
        'so the registry can tell what runs there and whether it is behind the latest release.',
      inputSchema: {
        name: environmentName.describe(`Required. ${ENVIRONMENT_NAME}`),
        description: z.string().max(500).optional().describe('What the environment is, e.g. "EU production cluster"'),
        color: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'a colour written #rrggbb')
          .optional()
          .describe('Display colour in the dashboard, written #rrggbb, e.g. "#e11d48"'),
      },
    },
    (input) =>
      guarded(async () => {
        const { environment } = await backend.client().createEnvironment(input);
        return ok(`Created environment "${environment.name}". Create its tokens with create_token and environment: "${environment.name}".`, environment);
      }),
  );

  server.registerTool(
    'list_environments',
    {
      title: 'List runtime environments',
      description: 'List the runtime environments with their descriptions.',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    () =>
      guarded(async () => {
        const environments = await backend.client().listEnvironments();
        return ok(`${environments.length} environment(s).`, { environments });
      }),
  );

  server.registerTool(
    'environment_status',
    {
      title: 'What runs in an environment, and its drift',
      description:
        'Show what is running in a runtime environment now (per repository: digest, tag, since when) and its drift: for each ' +
        'repository, "up-to-date" (runs the latest release), "behind" (how many releases behind, and the newest version) or "unknown".',
      inputSchema: { name: environmentName.describe(`Required. ${ENVIRONMENT_NAME}`) },
      annotations: { readOnlyHint: true },
    },
    ({ name }) =>
      guarded(async () => {
        const client = backend.client();
        const [state, drift] = await Promise.all([client.state(name), client.drift(name)]);
        const behind = drift.repositories.filter((r) => r.status === 'behind').length;
        const summary = `Environment "${name}" runs ${state.repositories.length} image(s); ${behind} behind the latest release.`;
        return ok(summary, { environment: name, running: state.repositories, drift: drift.repositories });
      }),
  );

  server.registerTool(
    'compare_environments',
    {
      title: 'Compare two environments',
      description: 'Compare two runtime environments: the repositories whose running digests differ, with the releases on each side.',
      inputSchema: {
        a: environmentName.describe('Required. First environment, e.g. "staging"'),
        b: environmentName.describe('Required. Second environment, e.g. "production"'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ a, b }) =>
      guarded(async () => {
        const comparison = await backend.client().compareEnvironments(a, b);
        return ok(`${comparison.repositories.length} repository(ies) run different images in "${a}" and "${b}".`, comparison);
      }),
  );

  server.registerTool(
    'list_releases',
    {
      title: 'List releases',
      description: 'List recorded releases (name, version, artifacts, source commit), newest first, optionally filtered.',
      inputSchema: {
        name: z.string().optional().describe('Only releases of this name'),
        version: z.string().optional().describe('Only this version'),
        digest: z.string().optional().describe('Only releases containing this artifact digest (sha256:…)'),
      },
      annotations: { readOnlyHint: true },
    },
    (filter) =>
      guarded(async () => {
        const query = Object.fromEntries(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
        const { releases } = await backend.client().listReleases(query);
        return ok(`${releases.length} release(s), newest first.`, { releases });
      }),
  );

  const local = backend.target.files !== null;
  server.registerTool(
    'configure_package_manager',
    {
      title: 'Configure Docker, npm or pip for this registry',
      description:
        'Set up docker, npm or pip to use Fly Registry: creates a token named after the machine and tool (read-write, or read-only ' +
        'when an environment is given) unless an existing token secret is passed, and returns the configuration: the Docker ' +
        'config.json "auths" entry, the .npmrc lines or the pip.conf [global] index-url. ' +
        (local
          ? 'With write: true it also writes it into the file on this machine (~/.docker/config.json, ~/.npmrc or the project\'s ' +
            '.npmrc with projectDir, pip.conf), keeping every other entry in those files.'
          : 'This server is remote, so it only returns the configuration for you to write (write: true is refused).'),
      inputSchema: {
        tool: z.enum(PACKAGE_MANAGERS).describe('Required. Which client to configure'),
        environment: environmentName.optional().describe('Scope the new token to this runtime environment'),
        token: z.string().optional().describe('An existing registry token secret (flyr_…) to use instead of creating one'),
        permission: z.enum(PERMISSIONS).optional().describe('Permission of the new token (default read-write; read-only with an environment)'),
        projectDir: z.string().optional().describe("npm only: absolute path of the project whose .npmrc to write (default: the user's ~/.npmrc)"),
        write: z.boolean().default(false).describe('Write the configuration file on this machine (only when the MCP server runs locally via `flyreg mcp`)'),
      },
    },
    ({ tool, environment, token, permission, projectDir, write }) =>
      guarded(async () => {
        if (write && !local) throw new Error('write: true works only with the local MCP server (`flyreg mcp`); this one returns the configuration only');
        const { plan, token: used } = await prepareSetup(
          backend.client(),
          (secret) => backend.verifyToken(secret),
          backend.target,
          tool,
          { environment, secret: token, permission, projectDir },
        );
        if (write) applyPlan(plan);
        const where = plan.path ? (write ? `Wrote ${plan.path}` : `Add this to ${plan.path}`) : 'Add this to the client configuration';
        // No preview here: the tool always has a token (created or given).
        if (!used) throw new Error('no token was created or given');
        return ok(`${where} (${used.created ? `new ${used.permission} token "${used.name}"` : `token "${used.name}"`}).`, {
          tool,
          path: plan.path,
          written: write,
          token: used,
          configuration: plan.fragment,
          notes: plan.notes,
        });
      }),
  );
}
