import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedToken } from '../../src/api/answers.js';
import { login, type ApiClient } from '../helpers/api.js';
import { adminPage, expectNoSecretsInStorage, launchBrowser, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });

const whoami = (server: TestServer, secret: string) => fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });

/** Fly Web's side of rotation and expiry warnings (issue 18), in the real Chromium. */
describe('Token rotation and expiry warnings in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: ApiClient;
  let deploy: CreatedToken;
  let staging: CreatedToken;
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await login(server);
    deploy = await admin.createToken({ name: 'deploy', permission: 'read-write', expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await admin.createToken({ name: 'long lived', permission: 'read-only', expiresAt: null });
    const env = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'staging', token: { name: 'staging nodes' } });
    staging = env.body.token;
    secrets.push(deploy.token, staging.token);
    ({ context, page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows an expiring-soon badge and a banner whose button filters to the expiring tokens', async () => {
    await page.goto('/tokens');
    const banner = page.getByTestId('expiring-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Token “deploy” expires soon');
    await expect(row(page, 'deploy').getByText('Expiring soon').count()).resolves.toBe(1);
    await expect(row(page, 'long lived').getByText('Expiring soon').count()).resolves.toBe(0);
    await screenshots(page, 'tokens-expiring-banner');
    await banner.getByRole('button', { name: 'Show expiring tokens' }).click();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('expiring-soon');
    await row(page, 'deploy').waitFor();
    await expect(row(page, 'long lived').count()).resolves.toBe(0);
    // The link the registry clients' notices carry shows that one token.
    await page.goto(`/tokens?token=${deploy.id}`);
    await row(page, 'deploy').waitFor();
    await expect(row(page, 'staging nodes').count()).resolves.toBe(0);
  });

  let rotatedSecret = '';

  it('rotates with the chosen overlap and shows the new secret once; both secrets work, the old one is shown in use', async () => {
    await page.goto('/tokens');
    await row(page, 'deploy').getByRole('button', { name: 'Rotate deploy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate “deploy”?' });
    await dialog.getByLabel('Old secret keeps working for').selectOption({ label: '1 hour' });
    await screenshots(page, 'token-rotate-dialog');
    await dialog.getByRole('button', { name: 'Rotate token' }).click();

    const shown = page.getByRole('dialog', { name: /Token “deploy” rotated/ });
    await shown.waitFor();
    rotatedSecret = await shown.getByLabel('Token', { exact: true }).inputValue();
    secrets.push(rotatedSecret);
    expect(rotatedSecret).toMatch(/^flyr_[0-9A-Za-z]{38}$/);
    expect(rotatedSecret).not.toBe(deploy.token);
    expect(await shown.getByTestId('token-username').textContent()).toBe(deploy.username);
    expect(await shown.getByRole('region', { name: '.npmrc' }).textContent()).toContain(rotatedSecret);
    expect(await shown.getByTestId('previous-secret-retires').textContent()).toContain('The old secret keeps working until');
    await screenshots(page, 'token-rotated-secret');
    await shown.getByRole('button', { name: 'Done, I have copied it' }).click();

    for (const secret of [deploy.token, rotatedSecret]) expect((await whoami(server, secret)).status).toBe(200);
    // The old secret was used after the rotation: once the usage is written, the row says so.
    const previous = row(page, 'deploy').getByTestId('previous-secret');
    for (let tries = 0; !((await previous.textContent()) ?? '').includes('Old secret in use'); tries++) {
      if (tries > 30) throw new Error(`the row never showed the old secret in use: ${await previous.textContent()}`);
      await sleep(300);
      await page.reload();
    }
    expect(await previous.textContent()).toMatch(/Old secret in use\s*stops in (60 minutes|1 hour)/);
    await expectNoSecretsInStorage(page, secrets);
  });

  it('rotating an environment token with no overlap shows the new pull-secret manifest; the old secret is refused at once', async () => {
    await row(page, 'staging nodes').getByRole('button', { name: 'Rotate staging nodes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate “staging nodes”?' });
    await dialog.getByLabel('Old secret keeps working for').selectOption({ label: 'Stop the old secret now' });
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    const shown = page.getByRole('dialog', { name: /Token “staging nodes” rotated/ });
    await shown.waitFor();
    const secret = await shown.getByLabel('Token', { exact: true }).inputValue();
    secrets.push(secret);
    await shown.getByRole('region', { name: 'Kubernetes pull secret (manifest)' }).waitFor();
    const manifest = (await shown.getByRole('region', { name: 'Kubernetes pull secret (manifest)' }).textContent()) ?? '';
    const encoded = /\.dockerconfigjson: (\S+)/.exec(manifest)?.[1] ?? '';
    expect(Buffer.from(encoded, 'base64').toString()).toContain(secret);
    expect(await shown.getByRole('region', { name: 'Kubernetes pull secret (kubectl)' }).textContent()).toContain(secret);
    await shown.getByRole('button', { name: 'Done, I have copied it' }).click();
    expect((await whoami(server, staging.token)).status).toBe(401);
    expect((await whoami(server, secret)).status).toBe(200);
    await expectNoSecretsInStorage(page, secrets);
  });
});
