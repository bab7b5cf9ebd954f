import { describe, expect, it } from 'vitest';
import type { RegistryEndpoints, TokenSnippets } from '../api/answers.js';
import { clientSnippets, registryEndpoints } from '../core/tokens/snippets.js';
import { isReservedPath } from '../web-ui/plugin.js';
import { PROTOCOLS } from './registry.js';

const publicUrl = new URL('https://fly.example/base/');

describe('the protocol registry', () => {
  it('names each protocol, tool, snippet and endpoint once', () => {
    for (const key of ['id', 'title'] as const) expect(new Set(PROTOCOLS.map((p) => p[key])).size).toBe(PROTOCOLS.length);
    expect(new Set(PROTOCOLS.map((p) => p.clientSetup.tool)).size).toBe(PROTOCOLS.length);
    expect(new Set(PROTOCOLS.map((p) => p.snippet.key)).size).toBe(PROTOCOLS.length);
    expect(new Set(PROTOCOLS.map((p) => p.endpoint.key)).size).toBe(PROTOCOLS.length);
    expect(new Set(PROTOCOLS.flatMap((p) => p.prefixes)).size).toBe(PROTOCOLS.flatMap((p) => p.prefixes).length);
  });

  it('builds exactly the endpoints and snippets the API answers declare', () => {
    const endpoints = registryEndpoints(publicUrl, PROTOCOLS);
    const declaredEndpoints: (keyof RegistryEndpoints)[] = ['publicUrl', 'docker', 'npm', 'pypi', 'maven', 'generic', 'go', 'helm', 'cargo'];
    expect(Object.keys(endpoints).sort()).toEqual([...declaredEndpoints].sort());
    expect(endpoints).toEqual({
      publicUrl: 'https://fly.example/base',
      docker: { registry: 'fly.example' },
      npm: { registry: 'https://fly.example/base/artifactory/api/npm/npm/', authKey: '//fly.example/base/artifactory/api/npm/npm/' },
      pypi: { indexUrl: 'https://fly.example/base/artifactory/api/pypi/pypi/simple' },
      maven: { repositoryUrl: 'https://fly.example/base/artifactory/maven/', serverId: 'fly' },
      generic: { baseUrl: 'https://fly.example/base/artifactory/api/generic/' },
      go: { proxy: 'https://fly.example/base/artifactory/api/go/go', netrcMachine: 'fly.example/base' },
      helm: { repository: 'https://fly.example/base/artifactory/api/helm/helm', ociRegistry: 'fly.example' },
      cargo: { index: 'sparse+https://fly.example/base/artifactory/api/cargo/cargo/index/' },
    });
    const snippets = clientSnippets(publicUrl, PROTOCOLS, 'ci-abc123', 'flyr_secret');
    const declaredSnippets: (keyof TokenSnippets)[] = ['dockerLogin', 'npmrc', 'pipIndexUrl', 'mavenSettingsXml', 'genericCurl', 'goEnv', 'helmRepoAdd', 'cargoConfig'];
    expect(Object.keys(snippets).sort()).toEqual([...declaredSnippets].sort());
    expect(snippets.pipIndexUrl).toBe('export PIP_INDEX_URL=https://ci-abc123:flyr_secret@fly.example/base/artifactory/api/pypi/pypi/simple');
  });

  it('keeps the dashboard out of every protocol prefix', () => {
    for (const prefix of PROTOCOLS.flatMap((p) => p.prefixes)) {
      expect(isReservedPath(prefix)).toBe(true);
      expect(isReservedPath(`${prefix}/anything?x=1`)).toBe(true);
    }
    expect(isReservedPath('/tokens')).toBe(false);
  });
});
