import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, ReleasePage } from '../../src/api/answers.js';
import { ApiClient, login } from '../helpers/api.js';
import { adminPage, launchBrowser } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** One more than a page (the dashboard asks for 50), so exactly one "Load more" is needed. */
const RELEASES = 53;

describe('"Load more" on the audit log and the releases page', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    const ci = await admin.createToken({ name: 'ci', permission: 'read-write' });
    const uploaded = await fetch(`${server.url}/generic/tool/1.0.0/tool.bin`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ci.token}` },
      body: 'the tool',
    });
    expect(uploaded.status).toBe(201);
    const client = new ApiClient(server, ci.token);
    for (let i = 1; i <= RELEASES; i++) {
      const res = await client.post('/api/v1/releases', { name: 'tool', version: `1.0.${i}`, artifacts: [{ type: 'generic', name: 'tool', version: '1.0.0' }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    browser = await launchBrowser();
    ({ page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the API offers a next page only while older entries exist', async () => {
    const first = await admin.get<ReleasePage>(`/api/v1/releases?limit=${RELEASES - 3}`);
    expect(first.body.releases).toHaveLength(RELEASES - 3);
    const rest = await admin.get<ReleasePage>(`/api/v1/releases?limit=3&before=${first.body.nextBefore}`);
    expect(rest.body.releases.map((r) => r.version)).toEqual(['1.0.3', '1.0.2', '1.0.1']);
    // Exactly the last three: no cursor to a page that would come back empty.
    expect(rest.body.nextBefore).toBeNull();
    const all = await admin.get<ReleasePage>(`/api/v1/releases?limit=${RELEASES}`);
    expect(all.body.nextBefore).toBeNull();
  });

  it('the releases page shows 50, then the rest after "Load older releases"', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' }).click();
    const rows = page.getByRole('table', { name: 'Releases' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await expect(page.getByText('1 generic file set').first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: '1.0.1', exact: true }).count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Load older releases' }).click();
    await expect.poll(() => rows.count()).toBe(RELEASES);
    await page.getByRole('cell', { name: '1.0.1', exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Load older releases' }).count()).resolves.toBe(0);
  });

  it('the audit log shows 50 entries, then older ones until none are left', async () => {
    let total = 0;
    for (let before: number | null | undefined; before !== null; ) {
      const res: { body: AuditPage } = await admin.get<AuditPage>(`/api/v1/audit?limit=500${before ? `&before=${before}` : ''}`);
      total += res.body.events.length;
      before = res.body.nextBefore;
    }
    expect(total).toBeGreaterThan(RELEASES + 1);
    expect(total).toBeLessThanOrEqual(100);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load older entries' }).click();
    await expect.poll(() => rows.count()).toBe(total);
    // The oldest entry (the admin's first login) is now shown, and there is nothing more to load.
    await rows.last().getByText('login.succeeded').waitFor();
    await expect(page.getByRole('button', { name: 'Load older entries' }).count()).resolves.toBe(0);
  });
});
