import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from './package-root.js';

/** The plugin cache scripts/install-maven.sh fills: the tests' "central", as a file:// repository. */
export function centralCache(): string {
  return process.env.FLY_MAVEN_CENTRAL_CACHE ?? '/var/cache/fly-registry/maven-central';
}

/** Makes sure Maven and the plugin cache are there (a no-op when they are; refills a cache someone emptied). */
export async function ensureMaven(): Promise<void> {
  const script = join(PACKAGE_ROOT, 'scripts/install-maven.sh');
  await promisify(execFile)('bash', [script], { env: { ...process.env, FLY_MAVEN_CENTRAL_CACHE: centralCache() }, timeout: 600_000 });
}

/**
 * Global settings that point Maven Central at the local plugin cache (the registry's settings.xml stays
 * exactly as generated, passed with -s). No mirror: requests for the registry's artifacts go to it.
 */
export function writeCentralSettings(dir: string): string {
  const path = join(dir, 'central-settings.xml');
  const central = `<id>central</id><url>file://${centralCache()}</url><releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>`;
  writeFileSync(
    path,
    `<settings><profiles><profile><id>cached-central</id><repositories><repository>${central}</repository></repositories>` +
      `<pluginRepositories><pluginRepository>${central}</pluginRepository></pluginRepositories></profile></profiles>` +
      `<activeProfiles><activeProfile>cached-central</activeProfile></activeProfiles></settings>`,
  );
  return path;
}

export interface MvnResult {
  code: number | null;
  output: string;
}

/** Runs mvn in batch mode with a time bound; the output is returned, never printed. */
export function mvn(cwd: string, args: string[], timeoutMs = 600_000): Promise<MvnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-B', '--no-transfer-progress', ...args], { cwd, env: { ...process.env, MAVEN_OPTS: '-Xmx256m' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
