import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, launchBrowser, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

describe('Webhooks page in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    server = await startServer({ env: { FLY_NOTIFY_INTERVAL_MS: '100', FLY_WEBHOOK_RETRY_SECONDS: '1' } });
    browser = await launchBrowser();
    ({ page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  it('an admin adds a webhook, sends a test, and sees the failed then delivered attempts in the log', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a webhook' });
    await dialog.getByLabel('Name').fill('ops receiver');
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('Secret (optional)').fill('browser-test-secret-0123456789');
    await dialog.getByLabel('Payload').selectOption('json');
    await dialog.getByRole('checkbox', { name: 'release.created' }).uncheck();
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'ops receiver').waitFor();
    expect(await row(page, 'ops receiver').textContent()).not.toContain('release.created');

    // The receiver refuses until the log has shown the failure (pending, with the error); then it accepts.
    receiver.answer.otherwise = 500;
    await page.getByRole('button', { name: 'Send test to ops receiver' }).click();
    const log = page.getByRole('table', { name: 'Delivery log of ops receiver' });
    await log.getByRole('row').filter({ hasText: 'webhook.test' }).filter({ hasText: 'HTTP 500' }).waitFor({ timeout: 20_000 });
    await screenshots(page, 'webhooks-retrying');
    receiver.answer.otherwise = 204;
    const delivered = log.getByRole('row').filter({ hasText: 'webhook.test' }).filter({ hasText: 'delivered' });
    await delivered.waitFor({ timeout: 20_000 });
    expect(await delivered.textContent()).toContain('204');
    await screenshots(page, 'webhooks-delivered');

    const answered = receiver.received.map((r) => r.answered);
    expect(answered[0]).toBe(500);
    expect(answered.at(-1)).toBe(204);
    const last = receiver.received.at(-1);
    const expected = `sha256=${createHmac('sha256', 'browser-test-secret-0123456789').update(last?.body ?? '').digest('hex')}`;
    expect(last?.headers['x-fly-signature']).toBe(expected);
  });

  it('deleting a webhook asks first and removes it', async () => {
    await page.getByRole('button', { name: 'Delete ops receiver' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete webhook ops receiver?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No webhooks yet').waitFor();
  });
});
