import { Argument, Option, type Command } from 'commander';
import { PERMISSIONS, type Permission } from '../../api/answers.js';
import { parseExpiry } from '../../client/expiry.js';
import { applyPlan, CREDENTIAL_HELPER, PACKAGE_MANAGERS, planCredentialHelper, type PackageManager } from '../../client/package-managers/configure.js';
import { prepareSetup, type SetupResult } from '../../client/setup-package-manager.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine } from '../output.js';

interface SetupCliOptions extends JsonOption {
  env?: string;
  project?: string;
  token?: string;
  permission?: Permission;
  expires?: string;
  print?: boolean;
  helper?: boolean;
}

/** `flyreg setup docker|npm|pip|all`: a token per tool and the tool's own configuration, merged in. */
export function registerSetup(program: Command, cli: CliContext): void {
  program
    .command('setup')
    .description(
      `configure a client (${PACKAGE_MANAGERS.join(', ')}: Docker's config.json auths, .npmrc, pip.conf…) for this registry, keeping everything else in those files; ` +
        'creates a token named <hostname>-<tool> unless --token is given',
    )
    .addArgument(new Argument('<tool>', `${PACKAGE_MANAGERS.join(', ')} or all`).choices([...PACKAGE_MANAGERS, 'all']))
    .option('--env <name>', 'use a token scoped to this runtime environment (read-only unless --permission)')
    .option('--project <dir>', "npm: write the project's .npmrc in this directory instead of ~/.npmrc")
    .option('--token <secret>', 'use this existing registry token instead of creating one')
    .addOption(new Option('--permission <permission>', 'permission of the created token (default read-write; read-only with --env)').choices(PERMISSIONS))
    .option('--expires <when>', 'expiry of the created token: "never", 30d, 12h, 4w or a date (default 30d, never with --env)')
    .option('--print', 'only print the configuration: write no file and create no token (<token> marks where it goes, unless --token)')
    .option('--helper', 'docker: register docker-credential-flyreg (config.json credHelpers and the containers auth.json) instead of storing a token')
    .option('--json', 'print the result as JSON')
    .action(async (tool: PackageManager | 'all', options: SetupCliOptions) => {
      const { client, login } = cli.session();
      if (options.helper) return setupHelper(cli, tool, options);
      const tools = tool === 'all' ? [...PACKAGE_MANAGERS] : [tool];
      const expiresAt = options.expires === undefined ? undefined : parseExpiry(options.expires, new Date());
      const results: SetupResult[] = [];
      for (const each of tools) {
        const result = await prepareSetup(
          client,
          (secret) => cli.clientFor(login.url, secret).whoami(),
          { machineName: cli.env.hostname, files: cli.env },
          each,
          {
            environment: options.env,
            secret: options.token,
            permission: options.permission,
            expiresAt,
            projectDir: options.project,
            preview: options.print,
          },
        );
        if (!options.print) applyPlan(result.plan);
        results.push(result);
      }
      if (options.json) {
        return printJson(
          results.map(({ plan, token }) => ({
            tool: plan.tool,
            path: plan.path,
            written: !options.print,
            token,
            notes: plan.notes,
            // The fragment holds the secret: only shown when asked to print it.
            ...(options.print ? { fragment: plan.fragment } : {}),
          })),
        );
      }
      for (const { plan, token } of results) {
        const origin = !token
          ? 'no token created: put one where <token> is, e.g. from flyreg token create'
          : token.created ? `new ${token.permission} token ${token.name} (username ${token.username})` : `token ${token.name}`;
        if (options.print) {
          printLine(`# ${plan.tool}: add to ${plan.path} (${origin})`);
          printLine(plan.fragment.replace(/\n$/, ''));
        } else {
          printLine(`${plan.tool}: updated ${plan.path} with ${origin}`);
        }
        for (const note of plan.notes) printLine(`  note: ${note}`);
      }
    });
}

/** `setup docker --helper`: no token is created or stored; the helper asks the server on each use. */
async function setupHelper(cli: CliContext, tool: PackageManager | 'all', options: SetupCliOptions): Promise<void> {
  if (tool !== 'docker') throw new Error('--helper is for docker only (npm and pip have no credential helpers)');
  const plans = planCredentialHelper(await cli.session().client.endpoints(), cli.env);
  if (!options.print) for (const plan of plans) applyPlan(plan);
  if (options.json) return printJson(plans.map((plan) => ({ tool: plan.tool, path: plan.path, written: !options.print, helper: CREDENTIAL_HELPER, notes: plan.notes, fragment: plan.fragment })));
  for (const plan of plans) {
    printLine(options.print ? `# add to ${plan.path}\n${plan.fragment.replace(/\n$/, '')}` : `docker: ${plan.path} now asks docker-credential-${CREDENTIAL_HELPER}`);
    for (const note of plan.notes) printLine(`  note: ${note}`);
  }
}
