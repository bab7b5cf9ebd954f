import type { Command } from 'commander';
import { downloadFile, uploadFile, versionFiles, type GenericTarget } from '../../client/generic-files.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine } from '../output.js';

/** The generic repository as the logged-in user (or --token) reaches it. */
async function target(cli: CliContext, token: string | undefined): Promise<GenericTarget> {
  const { client, login } = cli.session();
  const endpoints = await client.endpoints();
  return { baseUrl: endpoints.generic.baseUrl, bearer: token ?? login.sessionToken, userAgent: cli.userAgent };
}

/** Splits `name@version[/file]`. */
function parseSpec(spec: string): { name: string; version: string; file?: string } {
  const match = /^([^@/]+)@([^/]+)(?:\/([^/]+))?$/.exec(spec);
  if (!match) throw new Error(`expected name@version or name@version/file, not ${JSON.stringify(spec)}`);
  return { name: match[1] as string, version: match[2] as string, file: match[3] };
}

/** `flyreg upload` and `flyreg download`: generic files, checked by sha256 both ways. */
export function registerFiles(program: Command, cli: CliContext): void {
  program
    .command('upload')
    .description('upload a file to the generic repository as <name>/<version>/<file name> (its sha256 is checked by the server)')
    .argument('<file>', 'the file to upload')
    .requiredOption('--name <name>', 'the generic package name')
    .requiredOption('--version <version>', 'the version (immutable once uploaded)')
    .option('--token <secret>', 'upload with this registry token instead of your login')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { name: string; version: string; token?: string } & JsonOption) => {
      const uploaded = await uploadFile(await target(cli, options.token), file, options.name, options.version);
      if (options.json) return printJson(uploaded);
      printLine(`uploaded ${uploaded.name}@${uploaded.version}/${uploaded.file} (${uploaded.size} bytes, sha256 ${uploaded.checksums.sha256})`);
    });
  program
    .command('download')
    .description('download name@version (every file) or name@version/file from the generic repository')
    .argument('<spec>', 'name@version or name@version/file')
    .option('--dir <dir>', 'where to write the files', '.')
    .option('--token <secret>', 'download with this registry token instead of your login')
    .option('--json', 'print the result as JSON')
    .action(async (spec: string, options: { dir: string; token?: string } & JsonOption) => {
      const { name, version, file } = parseSpec(spec);
      const t = await target(cli, options.token);
      const files = file ? [file] : await versionFiles(t, name, version);
      const written = [];
      for (const each of files) written.push(await downloadFile(t, name, version, each, options.dir));
      if (options.json) return printJson(written);
      for (const w of written) printLine(`downloaded ${w.path} (${w.size} bytes)`);
    });
}
