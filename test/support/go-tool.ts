import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoRun {
  code: number;
  output: string;
}

/** Runs the real `go` command with exactly the given environment (plus PATH), bounded in time. */
export function runGo(args: string[], cwd: string, env: Record<string, string>, timeoutMs = 240_000): Promise<GoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env: { PATH: process.env.PATH ?? '', GOTOOLCHAIN: 'local', CGO_ENABLED: '0', ...env } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

/**
 * A consumer's go environment under `work`: our proxy only, reached through the HTTPS front (go sends .netrc
 * credentials over HTTPS only, matching host:port), an empty module cache, the token in .netrc. The build
 * cache (compiled standard library) is shared to save minutes.
 */
export function goConsumerEnv(work: string, front: { url: string; host: string; certFile: string }, name: string, token: { username: string; token: string }): Record<string, string> {
  const home = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(home, '.netrc'), `machine ${front.host} login ${token.username} password ${token.token}\n`, { mode: 0o600 });
  return {
    HOME: home,
    NETRC: join(home, '.netrc'),
    GOPROXY: `${front.url}/artifactory/api/go/go`,
    GONOSUMDB: '*',
    GOFLAGS: '-modcacherw -mod=mod',
    GOMODCACHE: join(home, 'modcache'),
    GOCACHE: join(process.env.FLY_TOOLS_CACHE ?? '/var/cache/fly-registry', 'go', 'build'),
    SSL_CERT_FILE: front.certFile,
  };
}

/** Writes files (path → content) under a directory. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/**
 * The Go team's own answer for a directory's module zip and h1: hash: a tiny program over
 * golang.org/x/mod's zip.CreateFromDir and dirhash.HashZip, fetched from the Go module proxy into a
 * shared cache. It is what `flyreg go publish` must agree with.
 */
export async function referenceHash(work: string, dir: string, module: string, version: string): Promise<string> {
  const tool = writeTree(join(work, 'refhash'), {
    'go.mod': 'module refhash\n\ngo 1.22\n\nrequire golang.org/x/mod v0.29.0\n',
    'main.go': `package main

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/zip"
)

func main() {
	out := filepath.Join(os.TempDir(), "refhash.zip")
	f, err := os.Create(out)
	if err != nil {
		panic(err)
	}
	if err := zip.CreateFromDir(f, module.Version{Path: os.Args[2], Version: os.Args[3]}, os.Args[1]); err != nil {
		panic(err)
	}
	f.Close()
	h, err := dirhash.HashZip(out, dirhash.Hash1)
	if err != nil {
		panic(err)
	}
	fmt.Print(h)
}
`,
  });
  const cache = join(process.env.FLY_TOOLS_CACHE ?? '/var/cache/fly-registry', 'go');
  const env = {
    HOME: work,
    TMPDIR: work,
    GOMODCACHE: join(cache, 'mod'),
    GOCACHE: join(cache, 'build'),
    GOFLAGS: '-modcacherw -mod=mod',
    GONOSUMDB: '',
  };
  const run = await runGo(['run', '.', dir, module, version], tool, env);
  if (run.code !== 0) throw new Error(`reference hash failed: ${run.output}`);
  return run.output.trim().split('\n').pop() as string;
}
