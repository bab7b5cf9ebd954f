import { z } from 'zod';
import { parseInput } from '../../../core/validation.js';
import type { NpmContext } from '../route.js';

export const ping = async () => ({});

/** npm whoami prints the name of the credential it uses: the token's own username. */
export const whoami = async ({ principal }: NpmContext) => ({ username: principal.token?.username ?? principal.user.username });

const searchQuery = z.object({
  text: z.string().max(200, 'must be at most 200 characters').default(''),
  size: z.coerce.number().int().min(1).max(250).default(20),
  from: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** `npm search`: names containing the text, newest data first from each package's latest version. */
export async function search(c: NpmContext): Promise<unknown> {
  const { text, size, from } = parseInput(searchQuery, c.request.query, 'Search query');
  const hits = await c.registry.search(c.principal, text, size, from);
  return {
    objects: hits.map((h) => ({
      package: {
        name: h.name,
        scope: h.name.startsWith('@') ? h.name.slice(1, h.name.indexOf('/')) : 'unscoped',
        version: h.version,
        description: h.description,
        keywords: h.keywords,
        date: h.date,
        links: {},
        maintainers: [],
      },
      score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
      searchScore: 1,
    })),
    total: from + hits.length,
    time: c.core.clock.now().toUTCString(),
  };
}

/**
 * There is no advisory database for private packages: both audit endpoints answer an empty report at
 * once, so `npm install` and `npm audit` never wait on them.
 */
export const auditBulk = async () => ({});

export const auditQuick = async () => ({
  actions: [],
  advisories: {},
  muted: [],
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 },
    dependencies: 0,
    devDependencies: 0,
    optionalDependencies: 0,
    totalDependencies: 0,
  },
});
