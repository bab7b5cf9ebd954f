import { describe, expect, it } from 'vitest';
import { clientSnippets, registryEndpoints } from '../core/tokens/snippets.js';
import { isReservedPath } from '../web-ui/plugin.js';
import { PROTOCOLS } from './registry.js';

const publicUrl = new URL('https://fly.example/base/');

describe('the protocol registry', () => {
  it('names each protocol, tool, snippet and endpoint once', () => {
    for (const key of ['id', 'title'] as const) expect(new Set(PROTOCOLS.map((p) => p[key])).size).toBe(PROTOCOLS.length);
    expect(new Set(PROTOCOLS.map((p) => p.clientSetup.tool)).size).toBe(PROTOCOLS.length);
    const snippetKeys = PROTOCOLS.flatMap((p) => p.snippets.map((s) => s.key));
    expect(new Set(snippetKeys).size).toBe(snippetKeys.length);
    expect(snippetKeys).not.toContain('kubernetes');
    expect(new Set(PROTOCOLS.map((p) => p.endpoint.key)).size).toBe(PROTOCOLS.length);
    for (const reserved of ['publicUrl', 'snippets']) expect(PROTOCOLS.map((p) => p.endpoint.key)).not.toContain(reserved);
    expect(new Set(PROTOCOLS.flatMap((p) => p.prefixes)).size).toBe(PROTOCOLS.flatMap((p) => p.prefixes).length);
  });

  it('builds every protocol’s endpoint and snippets from the public URL, under the keys its definition names', () => {
    const endpoints = registryEndpoints(publicUrl, PROTOCOLS);
    expect(Object.keys(endpoints).sort()).toEqual(['publicUrl', ...PROTOCOLS.map((p) => p.endpoint.key)].sort());
    expect(endpoints.publicUrl).toBe('https://fly.example/base');
    for (const p of PROTOCOLS) {
      const endpoint = endpoints[p.endpoint.key] as Record<string, string>;
      // Each protocol tells clients where this registry is: under the public URL's host.
      expect(Object.values(endpoint).some((value) => value.includes('fly.example')), p.id).toBe(true);
    }
    const snippets = clientSnippets(publicUrl, PROTOCOLS, 'ci-abc123', 'flyr_secret');
    expect(Object.keys(snippets).sort()).toEqual(PROTOCOLS.flatMap((p) => p.snippets.map((s) => s.key)).sort());
    // Every snippet carries the token (the Maven pom fragment names only the server id whose credentials settings.xml holds).
    for (const [key, text] of Object.entries(snippets)) if (key !== 'mavenPomDistributionManagement') expect(text, key).toContain('flyr_secret');
    expect(snippets.pipIndexUrl).toBe('export PIP_INDEX_URL=https://ci-abc123:flyr_secret@fly.example/base/artifactory/api/pypi/pypi/simple');
  });

  it('gives Maven settings.xml, the pom’s distributionManagement and a Gradle snippet', () => {
    const snippets = clientSnippets(publicUrl, PROTOCOLS, 'ci-abc123', 'flyr_secret');
    const url = 'https://fly.example/base/artifactory/maven/';
    expect(snippets.mavenSettingsXml).toMatch(/<server>\s*<id>fly<\/id>\s*<username>ci-abc123<\/username>\s*<password>flyr_secret<\/password>/);
    expect(snippets.mavenSettingsXml).toContain('<pluginRepository>');
    expect(snippets.mavenPomDistributionManagement).toContain(`<distributionManagement>`);
    expect(snippets.mavenPomDistributionManagement).toMatch(new RegExp(`<snapshotRepository>\\s*<id>fly</id>\\s*<url>${url}</url>`));
    expect(snippets.gradle).toContain(`url = uri("${url}")`);
    expect(snippets.gradle).toContain('flyPassword=flyr_secret');
    expect(snippets.gradle).toMatch(/publishing \{\s*repositories \{\s*maven \{/);
  });

  it('keeps the dashboard out of every protocol prefix', () => {
    for (const prefix of PROTOCOLS.flatMap((p) => p.prefixes)) {
      expect(isReservedPath(prefix)).toBe(true);
      expect(isReservedPath(`${prefix}/anything?x=1`)).toBe(true);
    }
    expect(isReservedPath('/tokens')).toBe(false);
  });

  it('reads every protocol’s route table, each route answering under its protocol’s own prefixes', async () => {
    for (const p of PROTOCOLS) {
      const routes = await p.routes();
      expect(routes.length, p.id).toBeGreaterThan(0);
      for (const route of routes) for (const prefix of route.prefixes ?? []) expect(p.prefixes, `${p.id} ${route.path}`).toContain(prefix);
    }
  });
});
