/** The edit `flyreg setup docker` makes to Docker's config.json: one `auths` entry, nothing else touched. */
export interface FileEdit {
  /** The whole new file content. */
  content: string;
  /** Only what this registry contributes, for `--print` and for agents. */
  fragment: string;
  /** Things the user should know (a replaced default registry, a credential helper that takes precedence). */
  notes: string[];
}

export function editDockerConfig(existing: string | null, registry: string, username: string, secret: string): FileEdit {
  let config: Record<string, unknown> = {};
  if (existing !== null && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch {
      throw new Error('Docker config.json is not valid JSON: fix or move it, then run setup again (it was left untouched)');
    }
    if (!isObject(parsed)) throw new Error('Docker config.json is not a JSON object: fix or move it, then run setup again (it was left untouched)');
    config = parsed;
  }
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
