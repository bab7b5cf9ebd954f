import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `flyreg mcp`: the agent interface over stdio, acting with the stored login. */
export function registerMcp(program: Command, cli: CliContext, version: string): void {
  program
    .command('mcp')
    .description(
      'run the MCP server for coding agents over stdin/stdout, acting as the user logged in with `flyreg login` ' +
        '(e.g. in an agent config: {"command": "flyreg", "args": ["mcp"]})',
    )
    .action(async () => {
      const { serveStdio } = await import('../../mcp/stdio.js');
      await serveStdio(cli.env, version);
    });
}
