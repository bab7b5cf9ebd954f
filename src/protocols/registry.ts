import type { ProtocolDefinition } from './kit/definition.js';
import { genericProtocol } from './generic/definition.js';
import { mavenProtocol } from './maven/definition.js';
import { cargoProtocol } from './cargo/definition.js';
import { goProtocol } from './go/definition.js';
import { helmProtocol } from './helm/definition.js';
import { npmProtocol } from './npm/definition.js';
import { ociProtocol } from './oci/definition.js';
import { pypiProtocol } from './pypi/definition.js';

/**
 * The protocol registry: every protocol the registry serves, once. Each entry (its own folder's
 * definition.ts) says where it is mounted, what its release artifacts look like, which snippet a new token's
 * answer carries for it, how `flyreg setup` configures its client, and how to mount its routes. The server
 * mounts these and keeps Fly Web out of their prefixes; core builds endpoints, snippets and release
 * validation from them. Adding a protocol = its folders + one line here + its tests (docs/architecture.md).
 */
export const PROTOCOLS: readonly ProtocolDefinition[] = [ociProtocol, npmProtocol, pypiProtocol, mavenProtocol, genericProtocol, goProtocol, helmProtocol, cargoProtocol];

/** The protocol `flyreg setup <tool>` configures. */
export function protocolForTool(tool: string): ProtocolDefinition {
  const found = PROTOCOLS.find((p) => p.clientSetup.tool === tool);
  if (!found) throw new Error(`unknown client ${JSON.stringify(tool)}: ${PROTOCOLS.map((p) => p.clientSetup.tool).join(', ')}`);
  return found;
}
