/**
 * Reads a release artifact as typed on a command line: `oci:<repository>@<digest>`, `npm:<name>@<version>`
 * (scoped names keep their leading @) or `pypi:<name>==<version>` (or `@<version>`). The server checks
 * that the artifact exists.
 */
export function parseArtifactSpec(spec: string): Record<string, string> {
  const colon = spec.indexOf(':');
  const type = colon > 0 ? spec.slice(0, colon) : '';
  const rest = spec.slice(colon + 1);
  if (type === 'pypi' && rest.includes('==')) {
    const [name, version] = rest.split('==', 2) as [string, string];
    return checked(spec, { type, name, version });
  }
  // The last @ separates the version or digest: "@scope/pkg@1.0.0" and "shop/api@sha256:…" both work.
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    const left = rest.slice(0, at);
    const right = rest.slice(at + 1);
    if (type === 'oci') return checked(spec, { type, repository: left, digest: right });
    if (['npm', 'pypi', 'go', 'helm', 'cargo'].includes(type)) return checked(spec, { type, name: left, version: right });
  }
  throw new Error(`cannot read the artifact ${JSON.stringify(spec)}: write oci:<repository>@<digest>, npm:<name>@<version>, pypi:<name>==<version>, go:<module>@<version>, helm:<chart>@<version> or cargo:<crate>@<version>`);
}

function checked(spec: string, artifact: Record<string, string>): Record<string, string> {
  if (Object.values(artifact).some((v) => v === '')) {
    throw new Error(`cannot read the artifact ${JSON.stringify(spec)}: a part is empty`);
  }
  return artifact;
}
