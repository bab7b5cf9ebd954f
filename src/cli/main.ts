#!/usr/bin/env node
import { homedir, hostname } from 'node:os';
import { Command } from 'commander';
import { clientEnvironment } from '../client/client-environment.js';
import { registerAdmin } from './commands/admin.js';
import { registerEnvironments } from './commands/environments.js';
import { registerGc } from './commands/gc.js';
import { registerLogin } from './commands/login.js';
import { registerMcp } from './commands/mcp.js';
import { registerOidc } from './commands/oidc.js';
import { registerReleases } from './commands/releases.js';
import { registerServe } from './commands/serve.js';
import { registerSetup } from './commands/setup.js';
import { registerTokens } from './commands/tokens.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { CliContext } from './context.js';
import { packageVersion } from './version.js';

const version = packageVersion();
// The client commands' surroundings (config dirs, hostname) are read here, once, and passed down.
const cli = new CliContext(clientEnvironment(process.env, homedir(), hostname(), process.cwd()), `flyreg/${version}`);

const program = new Command('flyreg')
  .description('Fly Registry: images and packages (OCI, npm, PyPI, Maven, Go, Helm, Cargo, generic files) behind tokens')
  .version(version)
  // Root options (--version) only before the subcommand, so `release create --version 1.2.0` is the release's.
  .enablePositionalOptions();
registerServe(program);
registerAdmin(program);
registerGc(program);
registerLogin(program, cli);
registerTokens(program, cli);
registerEnvironments(program, cli);
registerReleases(program, cli);
registerOidc(program, cli);
registerSetup(program, cli);
// Each protocol's own commands (flyreg go publish, flyreg upload…), from the protocol registry.
for (const protocol of PROTOCOLS) (await protocol.cliCommands?.())?.(program, cli);
registerMcp(program, cli, version);

program.parseAsync(process.argv).catch((error: unknown) => {
  // One line, the reason only (the API's own message when it refused): scripts read it, people act on it.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`flyreg: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
