import { PROTOCOLS } from '../protocols/registry.js';

/** How each protocol's artifacts are typed on a command line, from the protocol registry: `oci:<repository>@<digest>`, `npm:<name>@<version>`… */
export const ARTIFACT_SPEC_FORMS = PROTOCOLS.map((p) => (p.artifact.shape === 'image' ? `${p.id}:<repository>@<digest>` : `${p.id}:<name>@<version>`));

/**
 * Reads a release artifact as typed on a command line: `<type>:<repository>@<digest>` for image protocols
 * (OCI), `<type>:<name>@<version>` for package protocols (scoped names keep their leading @), where a
 * package version may also follow `==` (`pypi:<name>==<version>`, as pip writes it). The server checks
 * that the artifact exists.
 */
export function parseArtifactSpec(spec: string): Record<string, string> {
  const colon = spec.indexOf(':');
  const type = colon > 0 ? spec.slice(0, colon) : '';
  const rest = spec.slice(colon + 1);
  const protocol = PROTOCOLS.find((p) => p.id === type);
  if (protocol?.artifact.shape === 'package' && rest.includes('==')) {
    const [name, version] = rest.split('==', 2) as [string, string];
    return checked(spec, { type, name, version });
  }
  // The last @ separates the version or digest: "@scope/pkg@1.0.0" and "shop/api@sha256:…" both work.
  const at = rest.lastIndexOf('@');
  if (protocol && at > 0) {
    const left = rest.slice(0, at);
    const right = rest.slice(at + 1);
    if (protocol.artifact.shape === 'image') return checked(spec, { type, repository: left, digest: right });
    return checked(spec, { type, name: left, version: right });
  }
  throw new Error(`cannot read the artifact ${JSON.stringify(spec)}: write ${ARTIFACT_SPEC_FORMS.join(', ')} (or pypi:<name>==<version>)`);
}

function checked(spec: string, artifact: Record<string, string>): Record<string, string> {
  if (Object.values(artifact).some((v) => v === '')) {
    throw new Error(`cannot read the artifact ${JSON.stringify(spec)}: a part is empty`);
  }
  return artifact;
}
