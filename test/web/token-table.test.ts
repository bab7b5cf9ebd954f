import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/api.js';
import { adminPage, launchBrowser, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The token table with real data at 1280×800: one line per token, at least ten tokens on the first screen. */
describe('the token table at 1280 px', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const longName = 'deploy pipeline for the customer-facing storefront in eu-west';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const admin = await login(server);
    for (let i = 1; i <= 12; i++) {
      const res = await admin.createToken({ name: i === 1 ? longName : `ci runner ${i} for service number ${i}`, permission: i % 2 ? 'read-write' : 'read-only', expiresAt: null });
      expect(res.token).toMatch(/^flyr_/);
    }
    ({ page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows at least ten tokens without wrapping names, and the full name on hover', async () => {
    await page.goto('/tokens');
    const table = page.getByRole('table', { name: 'Tokens' });
    await table.getByText(longName).waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const name = tr.querySelector('td strong') as HTMLElement;
        const lineHeight = parseFloat(getComputedStyle(name).lineHeight) || 24;
        return { bottom: tr.getBoundingClientRect().bottom, nameLines: Math.round(name.getBoundingClientRect().height / lineHeight), title: name.title };
      }),
    );
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row.nameLines, row.title).toBe(1);
    expect(rows.filter((r) => r.bottom <= 800).length).toBeGreaterThanOrEqual(10);
    await expect(table.getByTitle(longName, { exact: true }).count()).resolves.toBe(1);
    // Every column, Actions included, fits without scrolling the table sideways.
    const revoke = await table.getByRole('button', { name: `Revoke ${longName}` }).boundingBox();
    expect((revoke?.x ?? 9999) + (revoke?.width ?? 0)).toBeLessThanOrEqual(1280);
    // The Created column carries the time as well as the day.
    await expect(table.locator('tbody tr').first().locator('td[data-label="Created"]').textContent()).resolves.toMatch(/\d{2}:\d{2}/);
    await screenshots(page, 'tokens-table-12');
  });
});
