import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildModuleZip } from '../../client/go/module-zip.js';
import { uploadModuleZip } from '../../client/go/publish.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine } from '../output.js';

interface PublishOptions extends JsonOption {
  version: string;
  token?: string;
  registry?: string;
}

/** `flyreg go publish [dir] --version vX.Y.Z`: zip a module by Go's rules and upload it. */
export function registerGo(program: Command, cli: CliContext): void {
  const go = program.command('go').description('Go modules in this registry');
  go.command('publish')
    .description("build the module zip of [dir] (default .) by the Go command's rules and publish it as --version")
    .argument('[dir]', 'module root (where go.mod is)', '.')
    .requiredOption('--version <version>', 'the version to publish, e.g. v1.2.3 (versions are immutable)')
    .addOption(new Option('--token <secret>', 'a read & write registry token (default: your login session)').env('FLYREG_TOKEN'))
    .addOption(new Option('--registry <url>', 'registry URL (default: the one you logged in to)').env('FLYREG_URL'))
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, options: PublishOptions) => {
      const zip = buildModuleZip(resolve(cli.env.cwd, dir), options.version);
      // A token (CI) needs only the registry URL; otherwise the stored login gives both.
      const login = options.token ? cli.credentials.read() : cli.credentials.require();
      const registry = options.registry ?? login?.url;
      if (!registry) throw new Error('--registry <url> (or FLYREG_URL) is needed with --token when you are not logged in');
      const authorization = `Bearer ${options.token ?? login?.sessionToken ?? ''}`;
      const { h1 } = await uploadModuleZip(new URL(registry), authorization, zip, cli.userAgent);
      if (options.json) return printJson({ module: zip.module, version: zip.version, h1, files: zip.files, omitted: zip.omitted });
      printLine(`published ${zip.module}@${zip.version} (${zip.files.length} files, ${h1})`);
      for (const o of zip.omitted) printLine(`  left out ${o.path}: ${o.reason}`);
    });
}
