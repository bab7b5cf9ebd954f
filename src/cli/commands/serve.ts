import cluster from 'node:cluster';
import type { Command } from 'commander';
import { parseConfig, SETTINGS, type RawSettings, type SettingName } from '../../server/config.js';
import { keepTickShape } from '../../server/tick-shape.js';
import { packageVersion } from '../version.js';

export function registerServe(program: Command): void {
  const serve = program.command('serve').description('run the registry server (settings: flags, or the FLY_* environment variables)');
  for (const setting of Object.values(SETTINGS)) {
    serve.option(setting.flag, `${setting.help} [${setting.env}${'default' in setting ? `, default ${setting.default}` : ''}]`);
  }
  serve.action(async (flags: RawSettings) => {
    // First, before the server's modules load and start-up's garbage collections run (server/tick-shape.ts).
    keepTickShape();
    const config = parseConfig(process.env, pick(flags));
    // Loaded on demand: the server's modules would add half a second to every client command's start.
    const { serve: run } = await import('../../server/serve.js');
    const server = await run(config, packageVersion());
    // A supervisor that started the server with an IPC channel (PM2's `wait_ready`, the test harness) is told
    // once it listens: the message comes from this process after its own listen succeeded, never from
    // another server answering on the same port. (A cluster worker's channel is its primary's.)
    if (process.send && !cluster.isWorker) process.send('ready');
    const stop = () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

function pick(flags: RawSettings): RawSettings {
  const out: RawSettings = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const value = flags[name];
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}
