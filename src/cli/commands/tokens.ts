import { DEFAULT_EXPIRY_DAYS, defaultExpiry, defaultPermission } from '../../client/token-defaults.js';
import { Option, type Command } from 'commander';
import { formatScopeEntry, PERMISSIONS, type CreatedToken, type Permission, type Token } from '../../api/answers.js';
import { parseExpiry } from '../../client/expiry.js';
import { parseOverlap } from '../../client/overlap.js';
import type { RegistryClient } from '../../client/registry-client.js';
import { findToken } from '../../client/token-lookup.js';
import type { CliContext, JsonOption } from '../context.js';
import { collect } from '../repeatable.js';
import { printJson, printLine, printTable } from '../output.js';

interface CreateOptions extends JsonOption {
  name: string;
  permission?: Permission;
  expires?: string;
  env?: string;
  scope?: string[];
}


/** How a token's scope reads in the CLI: `oci:team/*, npm:@acme/* (pull)`, or "whole registry". */
export function scopeText(scope: Token['scope']): string {
  return scope ? scope.map(formatScopeEntry).join(', ') : 'whole registry';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The token a person named: an id is fetched directly, a name is looked up in the list. */
export async function resolveToken(client: RegistryClient, idOrName: string): Promise<Token> {
  if (UUID.test(idOrName)) return client.getToken(idOrName);
  return findToken(await client.listTokens(), idOrName);
}

export function registerTokens(program: Command, cli: CliContext): void {
  const token = program.command('token').description('create, list, revoke and delete registry tokens');

  token
    .command('create')
    .description('create a token; its secret is printed this once only')
    .requiredOption('--name <name>', 'what the token is for, e.g. "CI deploy"')
    .addOption(new Option('--permission <permission>', 'what it may do (default read-write, as in Fly Web; read-only with --env)').choices(PERMISSIONS))
    .option('--expires <when>', `"never", a duration (30d, 12h, 4w) or a date (2030-01-31: until the end of that day); default ${DEFAULT_EXPIRY_DAYS}d, never with --env`)
    .option('--env <name>', 'scope it to a runtime environment: its image pulls become deployments')
    .option(
      '--scope <protocol:pattern>',
      'limit it to resources matching a pattern, e.g. oci:team/*, npm:@acme/*, pypi:acme-*, maven:com.acme.* (repeatable; default: the whole registry)',
      collect,
    )
    .option('--json', 'print the result as JSON (includes the secret)')
    .action(async (options: CreateOptions) => {
      const { client } = cli.session();
      const created = await client.createToken({
        name: options.name,
        permission: options.permission ?? defaultPermission(Boolean(options.env)),
        expiresAt: parseExpiry(options.expires ?? defaultExpiry(Boolean(options.env)), new Date()),
        ...(options.env ? { environment: options.env } : {}),
        ...(options.scope ? { scope: options.scope } : {}),
      });
      if (options.json) return printJson(created);
      printCreated(created);
    });

  token
    .command('list')
    .description("list the team's tokens (never their secrets)")
    .option('--json', 'print the result as JSON')
    .action(async (options: JsonOption) => {
      const tokens = await cli.session().client.listTokens();
      if (options.json) return printJson(tokens);
      printTable(tokens.map((t) => ({ ...t, scopeText: scopeText(t.scope) })) as unknown as Record<string, unknown>[], [
        ['ID', 'id'],
        ['NAME', 'name'],
        ['USERNAME', 'username'],
        ['PERMISSION', 'permission'],
        ['STATUS', 'status'],
        ['CREATED BY', 'createdBy'],
        ['CREATED', 'createdAt'],
        ['EXPIRES', 'expiresAt'],
        ['SOON', 'expiringSoon'],
        ['LAST USED', 'lastUsedAt'],
        ['USES', 'useCount'],
        ['SCOPE', 'scopeText'],
      ]);
    });

  token
    .command('show')
    .description('show one token')
    .argument('<id|name>', 'the token id, or its name when only one token has it')
    .option('--json', 'print the result as JSON')
    .action(async (idOrName: string, options: JsonOption) => {
      const found = await resolveToken(cli.session().client, idOrName);
      if (options.json) return printJson(found);
      for (const [key, value] of Object.entries({ ...found, scope: scopeText(found.scope) })) printLine(`${key.padEnd(15)} ${value === null ? '-' : String(value)}`);
    });

  token
    .command('revoke')
    .description('revoke a token at once and for good (developers: only tokens they created)')
    .argument('<id|name>', 'the token id, or its name when only one token has it')
    .option('--json', 'print the result as JSON')
    .action(async (idOrName: string, options: JsonOption) => {
      const { client } = cli.session();
      const target = await resolveToken(client, idOrName);
      const result = await client.revokeToken(target.id);
      if (options.json) return printJson(result);
      printLine(`${result.message}: ${target.name} (${target.id}, username ${target.username})`);
    });

  token
    .command('rotate')
    .description('give a token a new secret (printed this once) and keep its name, username, permission and environment; the old secret keeps working during the overlap')
    .argument('<id|name>', 'the token id, or its name when only one token has it')
    .option('--overlap <duration>', 'how long the old secret keeps working: 0, seconds, or 30m, 24h, 7d (at most 30d)', '24h')
    .option('--json', 'print the result as JSON (includes the secret)')
    .action(async (idOrName: string, options: JsonOption & { overlap: string }) => {
      const overlapSeconds = parseOverlap(options.overlap);
      const { client } = cli.session();
      const target = await resolveToken(client, idOrName);
      const rotated = await client.rotateToken(target.id, overlapSeconds);
      if (options.json) return printJson(rotated);
      printLine(`Rotated token ${rotated.name} (${rotated.id}): username ${rotated.username}, ${rotated.permission}, expires ${rotated.expiresAt ?? 'never'}`);
      printLine(`The old secret works until ${rotated.previousSecretRetiresAt}.`);
      printLine();
      printLine(`New secret (shown only this once): ${rotated.token}`);
      printSnippets(rotated.snippets, '');
    });

  token
    .command('delete')
    .description('remove an expired or revoked token from the list (revoke an active one first)')
    .argument('<id|name>', 'the token id, or its name when only one token has it')
    .option('--json', 'print the result as JSON')
    .action(async (idOrName: string, options: JsonOption) => {
      const { client } = cli.session();
      const target = await resolveToken(client, idOrName);
      await client.deleteToken(target.id);
      if (options.json) return printJson({ deleted: true, id: target.id, name: target.name });
      printLine(`Deleted token ${target.name} (${target.id})`);
    });
}

export function printCreated(created: CreatedToken): void {
  printLine(
    `Created token ${created.name} (${created.id}): username ${created.username}, ${created.permission}, scope ${scopeText(created.scope)}, expires ${created.expiresAt ?? 'never'}`,
  );
  printLine();
  printLine(`Secret (shown only this once): ${created.token}`);
  printSnippets(created.snippets, '');
}

/** Every snippet the server returned (docker, npm, pip, and for environment tokens the Kubernetes secret). */
function printSnippets(snippets: object, prefix: string): void {
  for (const [name, snippet] of Object.entries(snippets) as [string, unknown][]) {
    if (typeof snippet === 'string') {
      printLine();
      printLine(`# ${prefix}${name}`);
      printLine(snippet.replace(/\n$/, ''));
    } else if (typeof snippet === 'object' && snippet !== null) {
      printSnippets(snippet, `${prefix}${name} `);
    }
  }
}
