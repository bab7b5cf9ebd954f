/**
 * Which files belong in a Go module zip, by the rules the Go command applies (golang.org/x/mod/zip):
 * files of nested modules, vendored packages, VCS metadata and non-regular files are left out; invalid
 * or colliding names, a misplaced or oversized go.mod and an oversized LICENSE are errors; the whole may
 * be at most 500 MiB. The same rules decide what `flyreg go publish` zips and what the server accepts,
 * so the zip hashes to the h1: sum `go` computes for the same tree.
 */
import { goAtLeast124 } from './go-mod.js';
import { filePathProblem } from './module-path.js';

export const MAX_ZIP_BYTES = 500 * 1024 * 1024;
export const MAX_GO_MOD_BYTES = 16 * 1024 * 1024;
export const MAX_LICENSE_BYTES = 16 * 1024 * 1024;

export interface CandidateFile {
  /** Slash-separated, relative to the module root. */
  path: string;
  kind: 'file' | 'symlink' | 'other';
  size: number;
}

export interface FileVerdict {
  path: string;
  reason: string;
}

export interface CheckedFiles {
  valid: CandidateFile[];
  omitted: FileVerdict[];
  invalid: FileVerdict[];
  sizeError: string | null;
}

/** Whether a file sits in a vendored package (the root vendor/modules.txt is one too from Go 1.24). */
export function isVendored(name: string, go124: boolean): boolean {
  if (go124 && name === 'vendor/modules.txt') return true;
  let rest: string;
  if (name.startsWith('vendor/')) rest = name.slice('vendor/'.length);
  else {
    const j = name.indexOf('/vendor/');
    if (j < 0) return false;
    rest = go124 ? name.slice(j + '/vendor/'.length) : name.slice('/vendor/'.length);
  }
  return rest.includes('/');
}

/** Tracks names folded to lower case, so two entries differing only in case (or file vs directory) collide. */
export class CollisionChecker {
  private readonly seen = new Map<string, { path: string; dir: boolean }>();

  check(path: string, dir: boolean): string | null {
    const fold = path.toLowerCase();
    const other = this.seen.get(fold);
    if (other) {
      if (other.path !== path) return `case-insensitive file name collision: ${JSON.stringify(other.path)} and ${JSON.stringify(path)}`;
      if (other.dir !== dir) return `entry ${JSON.stringify(path)} is both a file and a directory`;
      if (!dir) return `multiple entries for file ${JSON.stringify(path)}`;
    } else {
      this.seen.set(fold, { path, dir });
    }
    const slash = path.lastIndexOf('/');
    return slash > 0 ? this.check(path.slice(0, slash), true) : null;
  }
}

/** Sorts candidate files (from a directory walk) into kept, omitted and invalid, by the Go command's rules. */
export function checkModuleFiles(files: CandidateFile[], goDirective: string | null): CheckedFiles {
  const result: CheckedFiles = { valid: [], omitted: [], invalid: [], sizeError: null };
  const go124 = goAtLeast124(goDirective);
  // Directories holding a go.mod (other than the root) are other modules: their files stay out.
  const moduleDirs = new Set(
    files.filter((f) => f.kind === 'file' && f.path.split('/').pop()?.toLowerCase() === 'go.mod').map((f) => f.path.slice(0, f.path.lastIndexOf('/') + 1)),
  );
  const inSubmodule = (p: string) => {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) if (moduleDirs.has(p.slice(0, i + 1))) return true;
    return false;
  };
  const collisions = new CollisionChecker();
  let budget = MAX_ZIP_BYTES;
  for (const f of files) {
    const p = f.path;
    const omit = (reason: string) => result.omitted.push({ path: p, reason });
    const refuse = (reason: string) => result.invalid.push({ path: p, reason });
    if (isVendored(p, go124)) { omit('file is in vendor directory'); continue; }
    if (inSubmodule(p)) { omit('file is in another module'); continue; }
    if (p === '.hg_archival.txt') { omit('file is inserted by hg archive'); continue; }
    const problem = filePathProblem(p);
    if (problem) { refuse(`malformed file path ${JSON.stringify(p)}: ${problem}`); continue; }
    if (p.toLowerCase() === 'go.mod' && p !== 'go.mod') { refuse('go.mod files must have lowercase names'); continue; }
    const collision = collisions.check(p, false);
    if (collision) { refuse(collision); continue; }
    if (f.kind === 'symlink') { omit('file is a symbolic link'); continue; }
    if (f.kind !== 'file') { omit('not a regular file'); continue; }
    if (f.size <= budget) budget -= f.size;
    else result.sizeError ??= `module source tree too large (max size is ${MAX_ZIP_BYTES} bytes)`;
    if (p === 'go.mod' && f.size > MAX_GO_MOD_BYTES) { refuse(`go.mod file too large (max size is ${MAX_GO_MOD_BYTES} bytes)`); continue; }
    if (p === 'LICENSE' && f.size > MAX_LICENSE_BYTES) { refuse(`LICENSE file too large (max size is ${MAX_LICENSE_BYTES} bytes)`); continue; }
    result.valid.push(f);
  }
  return result;
}
