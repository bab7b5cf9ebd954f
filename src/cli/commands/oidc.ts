import type { Command } from 'commander';
import type { TrustPolicy } from '../../api/answers.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { collect } from '../repeatable.js';
import { scopeText } from './tokens.js';

interface CreateOptions extends JsonOption {
  issuer: string;
  audience: string;
  claim: string[];
  permission: string;
  environment?: string;
  scope?: string[];
  ttl?: string;
}

/** `--claim ref=refs/tags/v*` given once or more per claim: repeats of one claim are its alternatives. */
function claimRules(specs: string[]): { claim: string; equals: string[] }[] {
  const rules = new Map<string, string[]>();
  for (const spec of specs) {
    const at = spec.indexOf('=');
    if (at <= 0) throw new Error(`--claim ${JSON.stringify(spec)} must be <claim>=<value> (a value may use * as a wildcard)`);
    const name = spec.slice(0, at);
    rules.set(name, [...(rules.get(name) ?? []), spec.slice(at + 1)]);
  }
  return [...rules].map(([claim, equals]) => ({ claim, equals }));
}

const describeRules = (p: TrustPolicy) => p.rules.map((r) => `${r.claim}=${r.values.join('|')}`).join(' ');

/** `flyreg oidc policy …`: which CI jobs may exchange their OIDC ID token for a short-lived registry token. */
export function registerOidc(program: Command, cli: CliContext): void {
  const policy = program
    .command('oidc')
    .description('OIDC exchange for CI: trust policies for ID tokens (GitHub Actions, GitLab CI, any issuer)')
    .command('policy')
    .description('trust policies: issuer, audience and claim rules that decide which CI jobs get a token');

  policy
    .command('create')
    .description('create a trust policy (admins)')
    .argument('<name>', 'lowercase letters, digits and hyphens')
    .requiredOption('--issuer <url>', 'the ID token issuer, e.g. https://token.actions.githubusercontent.com or https://gitlab.com')
    .requiredOption('--audience <aud>', 'the audience the CI job requests its ID token for')
    .requiredOption('--claim <claim=value>', 'a claim rule, e.g. repository=acme/shop or ref=refs/tags/v* (repeat a claim for alternatives)', collect)
    .requiredOption('--permission <permission>', 'read-only or read-write')
    .option('--environment <name>', 'scope issued tokens to this environment')
    .option('--scope <protocol:pattern>', 'limit issued tokens to resources matching a pattern, e.g. oci:acme/shop* (repeatable; default: the whole registry)', collect)
    .option('--ttl <seconds>', 'lifetime of issued tokens (at most 3600, default 900)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: CreateOptions) => {
      const created = await cli.session().client.createTrustPolicy({
        name,
        issuer: options.issuer,
        audience: options.audience,
        rules: claimRules(options.claim),
        permission: options.permission,
        ...(options.environment !== undefined ? { environment: options.environment } : {}),
        ...(options.scope !== undefined ? { scope: options.scope } : {}),
        ...(options.ttl !== undefined ? { tokenTtlSeconds: Number(options.ttl) } : {}),
      });
      if (options.json) return printJson(created);
      printLine(`Created trust policy ${created.name}: ${created.issuer} (aud ${created.audience}) ${describeRules(created)} → ${created.permission} tokens for ${created.tokenTtlSeconds} s`);
    });

  policy
    .command('list')
    .description('list trust policies')
    .option('--json', 'print the result as JSON')
    .action(async (options: JsonOption) => {
      const policies = await cli.session().client.listTrustPolicies();
      if (options.json) return printJson(policies);
      printTable(
        policies.map((p) => ({ ...p, rules: describeRules(p), environment: p.environment ?? '', scope: scopeText(p.scope), ttl: `${p.tokenTtlSeconds}s` })),
        [
          ['NAME', 'name'],
          ['ISSUER', 'issuer'],
          ['AUDIENCE', 'audience'],
          ['RULES', 'rules'],
          ['PERMISSION', 'permission'],
          ['ENVIRONMENT', 'environment'],
          ['SCOPE', 'scope'],
          ['TTL', 'ttl'],
        ],
      );
    });

  policy
    .command('delete')
    .description('delete a trust policy (admins); tokens it issued run out on their own')
    .argument('<name>', 'the policy name or id')
    .action(async (name: string) => {
      await cli.session().client.deleteTrustPolicy(name);
      printLine(`Deleted trust policy ${name}`);
    });
}
