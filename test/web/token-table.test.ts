import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../src/protocols/registry.js';
import { login } from '../helpers/api.js';
import { adminPage, DESKTOP, launchBrowser, PHONE, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * The token pages with real data: the table at 1280×800 (one line per token, at least ten on the first
 * screen) and the secret dialog, whose snippets are fully readable and copyable at both sizes.
 */
describe('the token table at 1280 px and the secret dialog', () => {
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

  it('shows every snippet of a new token in full, each with its Copy button, and no Kubernetes snippets for a non-environment token', async () => {
    for (const [size, name] of [[DESKTOP, 'wide-snippets-desktop'], [PHONE, 'wide-snippets-phone']] as const) {
      await page.setViewportSize(size);
      await page.getByRole('button', { name: 'Create token' }).click();
      const form = page.getByRole('dialog', { name: 'Create token' });
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Create token' }).click();
      const shown = page.getByRole('dialog', { name: `Token “${name}” created` });
      await shown.waitFor();
      await expect(shown.getByRole('region', { name: /Kubernetes/ }).count()).resolves.toBe(0);
      const regions = shown.getByRole('region');
      // Every snippet of every protocol of the registry.
      await expect(regions.count()).resolves.toBe(PROTOCOLS.flatMap((p) => p.snippets).length);
      for (const region of await regions.all()) {
        // Nothing is cut off: the text wraps inside its block instead of running past the edge.
        const fits = await region.locator('pre').evaluate((pre) => pre.scrollWidth <= pre.clientWidth);
        expect(fits, (await region.getAttribute('aria-label')) ?? undefined).toBe(true);
        const copy = region.getByRole('button', { name: /^Copy / });
        await copy.scrollIntoViewIfNeeded();
        const box = await copy.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= size.width).toBe(true);
      }
      const dialogWidth = await shown.evaluate((d) => d.scrollWidth <= d.clientWidth);
      expect(dialogWidth).toBe(true);
      if (size === PHONE) await screenshots(page, 'token-secret-dialog-snippets');
      await shown.getByRole('button', { name: 'Done, I have copied it' }).click();
      await shown.waitFor({ state: 'detached' });
    }
    await page.setViewportSize(DESKTOP);
  });
});
