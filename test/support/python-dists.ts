import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import yazl from 'yazl';

/**
 * Builds real Python distributions without network or build tools, for the PyPI end-to-end tests and the
 * benchmark: a wheel (zip, written with yazl) and an sdist (tar.gz, written with tar), both laid out as
 * the wheel and sdist specifications say, so pip, twine and pkginfo accept them.
 */
export interface DistSpec {
  /** Project name as published, e.g. `Fly-Demo`. */
  name: string;
  version: string;
  /** Importable module the distribution installs; default: the name with `-`/`.` turned into `_`, lowercased. */
  module?: string;
  summary?: string;
  requiresDist?: string[];
  requiresPython?: string;
  /** Replaces the generated METADATA / PKG-INFO text entirely (for hostile or inconsistent uploads). */
  metadata?: string;
  /** Wheel tag; default `py3-none-any`. */
  wheelTag?: string;
  /** Extra archive members (path → content), e.g. a large entry for a zip bomb. */
  extraFiles?: Record<string, Buffer | string>;
}

export function moduleName(spec: DistSpec): string {
  return spec.module ?? spec.name.replace(/[-.]+/g, '_').toLowerCase();
}

/** The distribution name as wheel and sdist filenames spell it (runs of -_. become _). */
export function escapedName(name: string): string {
  return name.replace(/[-_.]+/g, '_');
}

export function coreMetadata(spec: DistSpec): string {
  if (spec.metadata !== undefined) return spec.metadata;
  const lines = ['Metadata-Version: 2.1', `Name: ${spec.name}`, `Version: ${spec.version}`, `Summary: ${spec.summary ?? `The ${spec.name} test package`}`];
  if (spec.requiresPython) lines.push(`Requires-Python: ${spec.requiresPython}`);
  for (const req of spec.requiresDist ?? []) lines.push(`Requires-Dist: ${req}`);
  lines.push('Description-Content-Type: text/markdown');
  return `${lines.join('\n')}\n\n# ${spec.name}\n\nBuilt by the Fly Registry tests.\n`;
}

function moduleSource(spec: DistSpec): string {
  return `NAME = ${JSON.stringify(spec.name)}\nVERSION = ${JSON.stringify(spec.version)}\n`;
}

function recordHash(content: Buffer): string {
  return `sha256=${createHash('sha256').update(content).digest('base64url')}`;
}

/** Writes `<name>-<version>-py3-none-any.whl` into dir and returns its path. */
export async function buildWheel(dir: string, spec: DistSpec): Promise<string> {
  const dist = escapedName(spec.name);
  const infoDir = `${dist}-${spec.version}.dist-info`;
  const tag = spec.wheelTag ?? 'py3-none-any';
  const members: [string, Buffer][] = [
    [`${moduleName(spec)}/__init__.py`, Buffer.from(moduleSource(spec))],
    [`${infoDir}/METADATA`, Buffer.from(coreMetadata(spec))],
    [`${infoDir}/WHEEL`, Buffer.from(`Wheel-Version: 1.0\nGenerator: flyreg-tests\nRoot-Is-Purelib: true\nTag: ${tag}\n`)],
  ];
  for (const [path, content] of Object.entries(spec.extraFiles ?? {})) members.push([path, Buffer.from(content)]);
  const record = [...members.map(([path, content]) => `${path},${recordHash(content)},${content.length}`), `${infoDir}/RECORD,,`].join('\n');
  members.push([`${infoDir}/RECORD`, Buffer.from(`${record}\n`)]);

  const zip = new yazl.ZipFile();
  for (const [path, content] of members) zip.addBuffer(content, path, { mtime: new Date(2024, 0, 1) });
  zip.end();
  const file = join(dir, `${dist}-${spec.version}-${tag}.whl`);
  await pipeline(zip.outputStream, createWriteStream(file));
  return file;
}

/** A minimal build backend (Python) that turns this sdist into a pure wheel with only the standard library. */
function backendSource(distInfoStem: string, module: string): string {
  return `import base64, hashlib, os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DIST_INFO = ${JSON.stringify(`${distInfoStem}.dist-info`)}
WHEEL = "Wheel-Version: 1.0\\nGenerator: flyreg-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"


def _metadata():
    with open(os.path.join(HERE, "PKG-INFO"), "rb") as f:
        return f.read()


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, DIST_INFO))
    with open(os.path.join(metadata_directory, DIST_INFO, "METADATA"), "wb") as f:
        f.write(_metadata())
    return DIST_INFO


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = ${JSON.stringify(`${distInfoStem}-py3-none-any.whl`)}
    members = {${JSON.stringify(`${module}/__init__.py`)}: open(os.path.join(HERE, ${JSON.stringify(module)}, "__init__.py"), "rb").read(),
               DIST_INFO + "/METADATA": _metadata(), DIST_INFO + "/WHEEL": WHEEL.encode()}
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, data in members.items():
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
        record.append(DIST_INFO + "/RECORD,,")
        z.writestr(DIST_INFO + "/RECORD", "\\n".join(record) + "\\n")
    return name
`;
}

/** Writes `<name>-<version>.tar.gz` (PKG-INFO, pyproject.toml with its backend, the module) into dir and returns its path. */
export async function buildSdist(dir: string, spec: DistSpec): Promise<string> {
  const base = `${escapedName(spec.name)}-${spec.version}`;
  const staging = await mkdtemp(join(tmpdir(), 'flyreg-sdist-'));
  try {
    const root = join(staging, base);
    await mkdir(join(root, moduleName(spec)), { recursive: true });
    await writeFile(join(root, 'PKG-INFO'), coreMetadata(spec));
    await writeFile(join(root, moduleName(spec), '__init__.py'), moduleSource(spec));
    // An in-tree PEP 517 backend with no build requirements: pip can prepare metadata and build the wheel
    // offline, in its isolated build environment, with nothing to download.
    await writeFile(join(root, 'pyproject.toml'), '[build-system]\nrequires = []\nbuild-backend = "flyreg_backend"\nbackend-path = ["."]\n');
    await writeFile(join(root, 'flyreg_backend.py'), backendSource(`${escapedName(spec.name)}-${spec.version}`, moduleName(spec)));
    for (const [path, content] of Object.entries(spec.extraFiles ?? {})) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content);
    }
    const file = join(dir, `${base}.tar.gz`);
    await tar.create({ gzip: true, cwd: staging, file, portable: true }, [base]);
    return file;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
