import type { Command } from 'commander';
import type { Release } from '../../api/answers.js';
import { ARTIFACT_SPEC_FORMS, parseArtifactSpec } from '../../client/artifact-spec.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

interface CreateOptions extends JsonOption {
  name: string;
  version: string;
  artifact: string[];
  commit?: string;
  branch?: string;
  pr?: string;
  author?: string;
  url?: string;
  notes?: string;
}

interface ListOptions extends JsonOption {
  name?: string;
  version?: string;
  digest?: string;
  artifact?: string;
  limit?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** An image artifact names a repository and digest, a package artifact a name and version (answers.ts). */
const describeArtifact = (a: Record<string, unknown>) =>
  'digest' in a ? `${String(a.type)} ${String(a.repository)}@${String(a.digest)}` : `${String(a.type)} ${String(a.name)}@${String(a.version)}`;

/** `flyreg release …`: the releases CI records, which drift detection compares environments against. */
export function registerReleases(program: Command, cli: CliContext): void {
  const release = program.command('release').description('record and look up releases (immutable sets of artifacts)');

  release
    .command('create')
    .description('record a release; every artifact must exist in the registry')
    .requiredOption('--name <name>', 'release name, e.g. shop/api')
    .requiredOption('--version <version>', 'e.g. 1.4.0')
    .requiredOption('--artifact <spec>', `${ARTIFACT_SPEC_FORMS.join(', ')} (pypi also <name>==<version>; repeatable)`, collect)
    .option('--commit <sha>', 'source commit')
    .option('--branch <name>', 'source branch')
    .option('--pr <ref>', 'pull/merge request')
    .option('--author <name>', 'who made the change')
    .option('--url <url>', 'the CI run or change')
    .option('--notes <text>', 'release notes')
    .option('--json', 'print the result as JSON')
    .action(async (options: CreateOptions) => {
      const source = Object.fromEntries(
        (['commit', 'branch', 'pr', 'author', 'url'] as const).flatMap((key) => (options[key] !== undefined ? [[key, options[key]]] : [])),
      );
      const created = await cli.session().client.createRelease({
        name: options.name,
        version: options.version,
        artifacts: options.artifact.map(parseArtifactSpec),
        ...(Object.keys(source).length > 0 ? { source } : {}),
        ...(options.notes !== undefined ? { notes: options.notes } : {}),
      });
      if (options.json) return printJson(created);
      printLine(`Recorded release ${created.name} ${created.version} (id ${created.id}) with ${created.artifacts.length} artifact(s)`);
    });

  release
    .command('list')
    .description('list releases, newest first')
    .option('--name <name>', 'only this release name')
    .option('--version <version>', 'only this version')
    .option('--digest <digest>', 'only releases containing this image digest')
    .option('--artifact <name>', 'only releases containing this repository or package')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', 'print the result as JSON')
    .action(async (options: ListOptions) => {
      const query = Object.fromEntries(
        (['name', 'version', 'digest', 'artifact', 'limit'] as const).flatMap((key) => (options[key] !== undefined ? [[key, options[key] as string]] : [])),
      );
      const { releases } = await cli.session().client.listReleases(query);
      if (options.json) return printJson(releases);
      printTable(
        releases.map((r) => ({ ...r, artifacts: r.artifacts.length, commit: r.source.commit ?? '' })),
        [
          ['ID', 'id'],
          ['NAME', 'name'],
          ['VERSION', 'version'],
          ['ARTIFACTS', 'artifacts'],
          ['COMMIT', 'commit'],
          ['CREATED BY', 'createdBy'],
          ['CREATED', 'createdAt'],
        ],
      );
    });

  release
    .command('show')
    .description('show one release')
    .argument('<id>', 'the release id (see release list)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: JsonOption) => {
      const found: Release = await cli.session().client.release(id);
      if (options.json) return printJson(found);
      printLine(`${found.name} ${found.version} (id ${found.id}), recorded by ${found.createdBy} at ${found.createdAt}`);
      for (const [key, value] of Object.entries(found.source)) printLine(`  ${key}: ${String(value)}`);
      printLine('Artifacts:');
      for (const artifact of found.artifacts) printLine(`  ${describeArtifact(artifact)}`);
      if (found.notes) {
        printLine('Notes:');
        printLine(found.notes);
      }
    });
}
