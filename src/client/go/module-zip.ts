import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { readGoMod } from '../../formats/go/go-mod.js';
import { hash1 } from '../../formats/go/h1.js';
import { checkModuleFiles, type CandidateFile, type FileVerdict } from '../../formats/go/module-files.js';
import { modulePathProblem } from '../../formats/go/module-path.js';
import { versionProblem } from '../../formats/go/versions.js';

/** The VCS directories the Go command never puts in a module zip. */
const VCS_DIRS = new Set(['.bzr', '.git', '.hg', '.svn']);

export interface ModuleZip {
  module: string;
  version: string;
  /** The h1: hash `go` will record in go.sum for this zip. */
  h1: string;
  files: string[];
  omitted: FileVerdict[];
  /** The zip, built as it is read (yazl streams each file in turn). */
  stream(): Readable;
}

/** Lists the tree the way Go's CreateFromDir walks it: VCS directories and nested modules are not entered. */
function walk(root: string, rel = '', out: CandidateFile[] = [], omitted: FileVerdict[] = []): { files: CandidateFile[]; omitted: FileVerdict[] } {
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (VCS_DIRS.has(entry.name)) {
        omitted.push({ path, reason: 'directory is a version control repository' });
        continue;
      }
      let nested = false;
      try {
        nested = lstatSync(join(root, path, 'go.mod')).isFile();
      } catch {
        // No go.mod: part of this module.
      }
      if (nested) omitted.push({ path, reason: 'directory is another module' });
      else walk(root, path, out, omitted);
      continue;
    }
    const kind = entry.isSymbolicLink() ? 'symlink' : entry.isFile() ? 'file' : 'other';
    out.push({ path, kind, size: kind === 'file' ? lstatSync(join(root, path)).size : 0 });
  }
  return { files: out, omitted };
}

/**
 * Builds the zip of the module in `dir` at `version` by the Go command's rules (golang.org/x/mod/zip's
 * CreateFromDir): same files kept and left out, same errors, every entry under `module@version/`. The go.mod
 * must exist and name the module; the version must suit the module path's major suffix.
 */
export function buildModuleZip(dir: string, version: string): ModuleZip {
  let goModText: string;
  try {
    goModText = readFileSync(join(dir, 'go.mod'), 'utf8');
  } catch {
    throw new Error(`${dir} has no go.mod: run go mod init <module path> first`);
  }
  const goMod = readGoMod(goModText);
  const module = goMod.module;
  if (!module) throw new Error(`${join(dir, 'go.mod')} has no module directive`);
  const pathProblem = modulePathProblem(module);
  if (pathProblem) throw new Error(`malformed module path ${JSON.stringify(module)}: ${pathProblem}`);
  const problem = versionProblem(module, version);
  if (problem) throw new Error(`invalid version ${version} for ${module}: ${problem}`);

  const walked = walk(dir);
  const checked = checkModuleFiles(walked.files, goMod.go);
  if (checked.invalid.length > 0) throw new Error(`cannot build the module zip: ${checked.invalid.map((f) => `${f.path}: ${f.reason}`).join('; ')}`);
  if (checked.sizeError) throw new Error(checked.sizeError);
  const prefix = `${module}@${version}/`;
  const files = checked.valid.map((f) => f.path).sort();
  const h1 = hash1(files.map((p) => ({ name: prefix + p, sha256Hex: createHash('sha256').update(readFileSync(join(dir, p))).digest('hex') })));
  return {
    module,
    version,
    h1,
    files,
    omitted: [...walked.omitted, ...checked.omitted],
    stream() {
      const zip = new yazl.ZipFile();
      // A fixed time and mode: the zip's bytes depend only on the files (h1 ignores them either way).
      for (const p of files) zip.addReadStream(createReadStream(join(dir, p)), prefix + p, { mtime: new Date(Date.UTC(2000, 0, 1)), mode: 0o100644 });
      zip.end();
      return zip.outputStream as Readable;
    },
  };
}
