import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CargoRun {
  code: number;
  output: string;
}

/**
 * A machine's CARGO_HOME under `work`: the registry at `serverUrl` as `fly`, the token in credentials.toml
 * (cargo:token provider), no network retries.
 */
export function cargoHome(work: string, serverUrl: string, name: string, token: string): string {
  const home = mkdtempSync(join(work, `${name}-`));
  writeFileSync(
    join(home, 'config.toml'),
    `[registries.fly]\nindex = "sparse+${serverUrl}/artifactory/api/cargo/cargo/index/"\ncredential-provider = "cargo:token"\n\n[net]\nretry = 0\n`,
  );
  writeFileSync(join(home, 'credentials.toml'), `[registries.fly]\ntoken = "${token}"\n`, { mode: 0o600 });
  return home;
}

/** Runs the real cargo in `cwd` with exactly this CARGO_HOME (plus PATH and rustup's home), bounded in time. */
export function runCargo(args: string[], cwd: string, home: string): Promise<CargoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', args, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CARGO_HOME: home,
        RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(process.env.HOME ?? '/root', '.rustup'),
        CARGO_TARGET_DIR: join(cwd, 'target'),
        CARGO_TERM_COLOR: 'never',
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
