import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The test tools the project installs itself (scripts/install-go-tools.sh, scripts/install-python-tools.sh),
 * found where those scripts put them. `npm test` runs the scripts first; a test asking for a tool runs its
 * script again (a no-op once installed), so a single test file run with vitest works on a fresh machine too.
 */
const SCRIPTS = fileURLToPath(new URL('../../scripts/', import.meta.url));

/** The scripts' cache directory: FLY_TOOLS_CACHE, else /var/cache/fly-registry as root, else ~/.cache/fly-registry. */
export function toolsCache(): string {
  if (process.env.FLY_TOOLS_CACHE) return process.env.FLY_TOOLS_CACHE;
  if (process.getuid?.() === 0) return '/var/cache/fly-registry';
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fly-registry');
}

const installed = new Set<string>();

function install(script: string): void {
  if (installed.has(script)) return;
  // Its output (what it built, or why it could not) goes to the test's output; a failure throws.
  execFileSync('bash', [join(SCRIPTS, script)], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60_000 });
  installed.add(script);
}

/** A Go program built at its pinned version: `conformance` (OCI distribution-spec), `crane`, `oras`, `regctl`. */
export function goTool(name: 'conformance' | 'crane' | 'oras' | 'regctl'): string {
  install('install-go-tools.sh');
  return join(toolsCache(), 'bin', name);
}

/** A program of the project's Python tools venv: `python`, `uv`, `poetry`, `pdm` (and `python -m build`). */
export function pythonTool(name: 'python' | 'uv' | 'poetry' | 'pdm'): string {
  install('install-python-tools.sh');
  return join(toolsCache(), 'python', 'venv', 'bin', name);
}
