/** The edit `flyreg setup docker` makes to Docker's config.json: one `auths` entry, nothing else touched. */
export interface FileEdit {
  /** The whole new file content. */
  content: string;
  /** Only what this registry contributes, for `--print` and for agents. */
  fragment: string;
  /** Things the user should know (a replaced default registry, a credential helper that takes precedence). */
  notes: string[];
}

/** An existing config.json / auth.json as an object (empty when there is none); damage is an error that touches nothing. */
function parseAuthConfig(existing: string | null, what: string): Record<string, unknown> {
  if (existing === null || existing.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch {
    throw new Error(`${what} is not valid JSON: fix or move it, then run setup again (it was left untouched)`);
  }
  if (!isObject(parsed)) throw new Error(`${what} is not a JSON object: fix or move it, then run setup again (it was left untouched)`);
  return parsed;
}

/**
 * Registers a credential helper for the registry in Docker's config.json or the containers auth.json
 * (same shape): `credHelpers[registry] = helper`, and any stored `auths` entry for it removed, so the
 * file holds no secret for this registry. Everything else is kept.
 */
export function editCredHelpers(existing: string | null, registry: string, helper: string, what: string): FileEdit {
  const config = parseAuthConfig(existing, what);
  const helpers = isObject(config.credHelpers) ? config.credHelpers : {};
  config.credHelpers = { ...helpers, [registry]: helper };
  const notes: string[] = [];
  if (isObject(config.auths) && registry in config.auths) {
    const { [registry]: removed, ...others } = config.auths;
    void removed;
    config.auths = others;
    notes.push(`removed the stored credential for ${registry}: docker-credential-${helper} answers for it now`);
  }
  return {
    content: `${JSON.stringify(config, null, '\t')}\n`,
    fragment: `${JSON.stringify({ credHelpers: { [registry]: helper } }, null, 2)}\n`,
    notes,
  };
}

export function editDockerConfig(existing: string | null, registry: string, username: string, secret: string): FileEdit {
  const config = parseAuthConfig(existing, 'Docker config.json');
  const auths = isObject(config.auths) ? config.auths : {};
  const entry = { auth: Buffer.from(`${username}:${secret}`).toString('base64') };
  config.auths = { ...auths, [registry]: entry };

  const notes: string[] = [];
  const helpers = isObject(config.credHelpers) ? config.credHelpers : {};
  if (typeof helpers[registry] === 'string') {
    notes.push(`credHelpers names "${String(helpers[registry])}" for ${registry}: docker will ask that helper instead of this entry`);
  } else if (typeof config.credsStore === 'string' && config.credsStore !== '') {
    notes.push(`credsStore "${config.credsStore}" is set: the docker CLI will ask it instead of this entry (skopeo, podman and containerd read the entry)`);
  }
  return {
    content: `${JSON.stringify(config, null, '\t')}\n`,
    fragment: `${JSON.stringify({ auths: { [registry]: entry } }, null, 2)}\n`,
    notes,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
