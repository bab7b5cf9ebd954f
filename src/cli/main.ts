#!/usr/bin/env node
import { Command } from 'commander';
import { registerAdmin } from './commands/admin.js';
import { registerGc } from './commands/gc.js';
import { registerServe } from './commands/serve.js';
import { packageVersion } from './version.js';

const program = new Command('flyreg')
  .description('Fly Registry: Docker/OCI images, npm and Python packages behind tokens')
  .version(packageVersion());
registerServe(program);
registerAdmin(program);
registerGc(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`flyreg: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
