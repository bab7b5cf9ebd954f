import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

describe('operations endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('fly_http_requests_total');
  });

  it('counts every answered request by method, route and status, across scrapes', async () => {
    const healthz = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('fly_http_requests_total{method="GET",route="/healthz",status="200"}'));
      return Number(line?.split(' ').pop() ?? 0);
    };
    const before = await healthz();
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await healthz()).toBe(before + 3);
    // Reported counts are not reported again: a scrape with nothing new says the same.
    expect(await healthz()).toBe(before + 3);
    await fetch(`${server.url}/healthz`);
    expect(await healthz()).toBe(before + 4);
  });
});
