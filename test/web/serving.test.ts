import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

describe('the server serves Fly Web at / without shadowing the API or the registries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('answers index.html, with a strict content security policy, for the dashboard and its client-side routes', async () => {
    for (const path of ['/', '/tokens', '/team', '/invite/flyi_abc', '/environments/production', '/no/such/page']) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(await res.text(), path).toContain('<div id="root"></div>');
    }
  });

  it('serves the built assets, fingerprinted and cached for good', async () => {
    const html = await (await fetch(server.url)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const res = await fetch(`${server.url}${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/assets/missing-0000.js`)).status).toBe(404);
  });

  it('never answers HTML under the API, registry and operations prefixes', async () => {
    const paths = ['/api/v1/nope', '/api', '/v2/', '/v2/library/x/manifests/latest', '/npm/left-pad', '/pypi/simple/', '/artifactory/api/npm/npm/x', '/mcp', '/metrics/x'];
    for (const path of paths) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-type') ?? '', path).not.toMatch(/text\/html/);
    }
    const api = await fetch(`${server.url}/api/v1/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('answers docker search (/v1/search), podman search and other unknown API-style requests with a JSON 404', async () => {
    // docker search and podman search ask for /v1/search with no Accept header (or JSON); so do scripts.
    for (const [path, accept] of [
      ['/v1/search?q=shop&n=25', undefined],
      ['/v1/search?q=shop', 'application/json'],
      ['/v1/_ping', 'text/html'],
      ['/no/such/endpoint', 'application/json'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { headers: accept ? { accept } : {} });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      const body = (await res.json()) as { errors: { code: string; message: string }[]; error: { code: string } };
      expect(body.errors[0]?.code).toBe('NOT_FOUND');
      expect(body.errors[0]?.message).toContain('search is not supported');
      expect(body.error.code).toBe('not_found');
    }
  });
});
