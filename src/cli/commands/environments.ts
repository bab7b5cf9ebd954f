import { Option, type Command } from 'commander';
import { PERMISSIONS, type Deployment, type Permission, type RunningImage } from '../../api/answers.js';
import { parseExpiry } from '../../client/expiry.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { printCreated } from './tokens.js';

interface CreateOptions extends JsonOption {
  description?: string;
  color?: string;
  withToken?: boolean;
  tokenName?: string;
  permission?: Permission;
  expires: string;
}

interface TimelineOptions extends JsonOption {
  limit?: string;
  order?: 'asc' | 'desc';
  repository?: string;
}

const short = (digest: string) => digest.replace(/^(sha\d+:)([0-9a-f]{12})[0-9a-f]*$/, '$1$2');
const releaseOf = (image: RunningImage | Deployment) => (image.release ? `${image.release.name} ${image.release.version}` : '');

/** `flyreg env …`: runtime environments, what runs there, drift and comparisons. */
export function registerEnvironments(program: Command, cli: CliContext): void {
  const env = program.command('env').description('runtime environments: what runs where, deployment timelines, drift from releases');

  env
    .command('create')
    .description("create an environment (optionally with its first token, whose secret is printed once)")
    .argument('<name>', 'lowercase letters, digits and hyphens, e.g. production')
    .option('--description <text>', 'what the environment is')
    .option('--color <#rrggbb>', 'its colour in the dashboard')
    .option('--with-token', 'also create its first token (read-only unless --permission)')
    .option('--token-name <name>', 'name of that token (default: the environment name)')
    .addOption(new Option('--permission <permission>', 'permission of that token').choices(PERMISSIONS))
    .option('--expires <when>', 'expiry of that token: "never", 30d, 12h, 4w or a date', 'never')
    .option('--json', 'print the result as JSON (includes the secret)')
    .action(async (name: string, options: CreateOptions) => {
      const { client } = cli.session();
      const result = await client.createEnvironment({
        name,
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options.color !== undefined ? { color: options.color } : {}),
        ...(options.withToken
          ? {
              token: {
                ...(options.tokenName ? { name: options.tokenName } : {}),
                ...(options.permission ? { permission: options.permission } : {}),
                expiresAt: parseExpiry(options.expires, new Date()),
              },
            }
          : {}),
      });
      if (options.json) return printJson(result);
      printLine(`Created environment ${result.environment.name}`);
      if (result.token) {
        printLine();
        printCreated(result.token);
      }
    });

  env
    .command('list')
    .description('list the environments')
    .option('--json', 'print the result as JSON')
    .action(async (options: JsonOption) => {
      const environments = await cli.session().client.listEnvironments();
      if (options.json) return printJson(environments);
      printTable(environments as unknown as Record<string, unknown>[], [
        ['NAME', 'name'],
        ['DESCRIPTION', 'description'],
        ['COLOR', 'color'],
        ['CREATED BY', 'createdBy'],
        ['CREATED', 'createdAt'],
      ]);
    });

  env
    .command('show')
    .description('show an environment: what runs there now, and its tokens')
    .argument('<name>', 'the environment')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: JsonOption) => {
      const { client } = cli.session();
      const [profile, state] = await Promise.all([client.environment(name), client.state(name)]);
      if (options.json) return printJson({ ...profile, running: state.repositories });
      printLine(`${profile.name}${profile.description ? ` — ${profile.description}` : ''} (created by ${profile.createdBy} at ${profile.createdAt})`);
      printLine();
      printLine('Running now:');
      if (state.repositories.length === 0) printLine('  nothing pulled with its tokens yet');
      else printImages(state.repositories.map((image) => ({ ...image, time: image.since })), 'SINCE');
      printLine();
      printLine('Tokens:');
      if (profile.tokens.length === 0) printLine('  none');
      else {
        printTable(profile.tokens as unknown as Record<string, unknown>[], [
          ['ID', 'id'],
          ['NAME', 'name'],
          ['USERNAME', 'username'],
          ['PERMISSION', 'permission'],
          ['STATUS', 'status'],
          ['LAST USED', 'lastUsedAt'],
        ]);
      }
    });

  env
    .command('timeline')
    .description('the deployment timeline: each image the environment pulled, first and last seen, and its release')
    .argument('<name>', 'the environment')
    .option('--limit <n>', 'at most this many deployments (default 100)')
    .addOption(new Option('--order <order>', 'oldest first (asc, default) or newest first (desc)').choices(['asc', 'desc']))
    .option('--repository <name>', 'only this repository')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: TimelineOptions) => {
      const query: Record<string, string> = {};
      if (options.limit) query.limit = options.limit;
      if (options.order) query.order = options.order;
      if (options.repository) query.repository = options.repository;
      const timeline = await cli.session().client.timeline(name, query);
      if (options.json) return printJson(timeline);
      if (timeline.deployments.length === 0) return printLine(`No deployments recorded in ${timeline.environment} yet.`);
      printImages(timeline.deployments.map((deployment) => ({ ...deployment, time: deployment.firstSeen })), 'FIRST SEEN');
      if (timeline.nextCursor) printLine(`(more: the API's cursor=${timeline.nextCursor})`);
    });

  env
    .command('drift')
    .description('per running repository: up-to-date, behind (by how many releases) or unknown (in no release)')
    .argument('<name>', 'the environment')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: JsonOption) => {
      const drift = await cli.session().client.drift(name);
      if (options.json) return printJson(drift);
      if (drift.repositories.length === 0) return printLine(`Nothing runs in ${drift.environment} yet.`);
      printTable(
        drift.repositories.map((r) => ({
          repository: r.repository,
          status: r.status === 'behind' ? `behind by ${r.behind}` : r.status,
          running: r.release ? `${r.release.version} (${short(r.digest)})` : short(r.digest),
          latest: r.latest ? `${r.latest.name} ${r.latest.version}` : '',
        })),
        [
          ['REPOSITORY', 'repository'],
          ['STATUS', 'status'],
          ['RUNNING', 'running'],
          ['LATEST RELEASE', 'latest'],
        ],
      );
    });

  env
    .command('compare')
    .description('repositories whose running images differ between two environments, with the releases on each side')
    .argument('<a>', 'first environment, e.g. staging')
    .argument('<b>', 'second environment, e.g. production')
    .option('--json', 'print the result as JSON')
    .action(async (a: string, b: string, options: JsonOption) => {
      const comparison = await cli.session().client.compareEnvironments(a, b);
      if (options.json) return printJson(comparison);
      if (comparison.repositories.length === 0) return printLine(`${comparison.a} and ${comparison.b} run the same images.`);
      const side = (image: RunningImage | null) => (image ? `${short(image.digest)}${image.release ? ` (${image.release.version})` : ''}` : 'not running');
      printTable(
        comparison.repositories.map((r) => ({ repository: r.repository, a: side(r.a), b: side(r.b) })),
        [
          ['REPOSITORY', 'repository'],
          [comparison.a.toUpperCase(), 'a'],
          [comparison.b.toUpperCase(), 'b'],
        ],
      );
    });
}

/** Running images (time: since) or deployments (time: first seen), one row each. */
function printImages(images: ((RunningImage | Deployment) & { time: string })[], timeHeading: 'SINCE' | 'FIRST SEEN'): void {
  printTable(
    images.map((i) => ({ ...i, digest: short(i.digest), release: releaseOf(i) })),
    [
      ['REPOSITORY', 'repository'],
      ['TAG', 'tag'],
      ['DIGEST', 'digest'],
      [timeHeading, 'time'],
      ['LAST SEEN', 'lastSeen'],
      ['PULLS', 'pullCount'],
      ['RELEASE', 'release'],
    ],
  );
}
