import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser, login } from '../helpers/api.js';
import { expectNoSecretsInStorage, launchBrowser, logInThroughPage, newContext, screenshots, sessionCookie } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A date `days` from now as the date input wants it (the browser runs in UTC). */
function dateInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const basicAuth = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });

describe('Token Management in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: ApiClient;
  /** Every secret the browser has seen so far: none may ever reach its storage. */
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await login(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the login page, refuses a wrong password in words, then logs the admin in', async () => {
    context = await newContext(browser, server);
    page = await context.newPage();
    await page.goto('/tokens');
    await page.getByRole('heading', { name: 'Log in to Fly Registry' }).waitFor();
    await screenshots(page, 'login');

    await page.getByLabel('Username').fill(server.admin.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid username or password');

    await logInThroughPage(page, server.admin.username, server.admin.password);
    // The deep link survives the login: the admin lands on the page they asked for.
    expect(new URL(page.url()).pathname).toBe('/tokens');
    await page.getByRole('heading', { name: 'Token Management' }).waitFor();

    const cookie = await sessionCookie(context);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    secrets.push(cookie?.value ?? 'missing');
    await expectNoSecretsInStorage(page, secrets);
    await screenshots(page, 'tokens-empty');
  });

  let secret = '';
  let tokenUsername = '';
  const expiryDate = dateInDays(10);

  it('creates a read-only token with an expiry date and shows the secret once, with a Copy button and snippets', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.getByLabel('Name').fill('ci-readonly');
    await dialog.getByLabel('Read-Only').check();
    await dialog.getByLabel('On a date').check();
    await dialog.getByLabel('Expiration date').fill(expiryDate);
    await screenshots(page, 'token-create-dialog');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const shown = page.getByRole('dialog', { name: /Token “ci-readonly” created/ });
    await shown.waitFor();
    secret = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(secret).toMatch(/^flyr_[0-9A-Za-z]{38}$/);
    secrets.push(secret);
    tokenUsername = (await shown.getByTestId('token-username').textContent()) ?? '';
    expect(tokenUsername).toMatch(/^ci-readonly-[a-z0-9]{6}$/);
    await expect(shown.getByRole('alert').textContent()).resolves.toContain('will not be shown again');

    await shown.getByRole('button', { name: 'Copy token' }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);

    // The ready snippets carry the token filled in.
    for (const title of ['Docker login', '.npmrc', 'PIP_INDEX_URL']) {
      await expect(shown.getByRole('region', { name: title }).textContent()).resolves.toContain(secret);
    }
    await screenshots(page, 'token-created');
    await expectNoSecretsInStorage(page, secrets);

    await shown.getByRole('button', { name: 'Done, I have copied it' }).click();
    const created = row(page, 'ci-readonly');
    await created.getByText('Read-Only').waitFor();
    await created.getByText('Active').waitFor();
    const [year, month, day] = expiryDate.split('-').map(Number) as [number, number, number];
    const expected = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(Date.UTC(year, month - 1, day)));
    await expect(created.getByRole('cell').nth(5).textContent()).resolves.toBe(expected);
  });

  it('never shows the secret again: not after closing, not after a reload, not in the API', async () => {
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await row(page, 'ci-readonly').waitFor();
    expect(await page.content()).not.toContain(secret);
    const listed = await page.evaluate(() => fetch('/api/v1/tokens').then((r) => r.text()));
    expect(listed).toContain('ci-readonly');
    expect(listed).not.toContain(secret);
    await expectNoSecretsInStorage(page, secrets);
  });

  it('the copied secret works against the registry API, as the read-only token it is', async () => {
    const asToken = new ApiClient(server, secret);
    const me = await asToken.get<{ kind: string; permission: string; token: { name: string; id: string; username: string } }>('/api/v1/whoami');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'token', permission: 'read-only', token: { name: 'ci-readonly', username: tokenUsername } });
    // The registry itself (docker login checks GET /v2/) accepts the token username and secret.
    const registry = await fetch(`${server.url}/v2/`, { headers: { authorization: basicAuth(tokenUsername, secret) } });
    expect(registry.status).toBe(200);
    const stored = await admin.get<{ expiresAt: string }>(`/api/v1/tokens/${me.body.token.id}`);
    expect(stored.body.expiresAt).toBe(`${expiryDate}T23:59:59.999Z`);
  });

  it('sorts and filters the table by text and status', async () => {
    await admin.createToken({ name: 'build-bot', permission: 'read-write', expiresAt: null });
    await page.reload();
    await row(page, 'build-bot').waitFor();

    const names = () => page.locator('tbody tr td:first-child strong').allTextContents();
    await page.getByRole('button', { name: /^Name/ }).click();
    expect(await names()).toEqual(['build-bot', 'ci-readonly']);
    await expect(page.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await page.getByRole('button', { name: /^Name/ }).click();
    expect(await names()).toEqual(['ci-readonly', 'build-bot']);

    await page.getByLabel('Search').fill('build');
    expect(await names()).toEqual(['build-bot']);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Status').selectOption('revoked');
    await page.getByText('No token matches this filter.').waitFor();
    await page.getByLabel('Status').selectOption('all');
    expect(await names()).toHaveLength(2);
  });

  it('revokes after a confirmation that says it cannot be undone; the badge turns Revoked and the secret stops working', async () => {
    const target = row(page, 'ci-readonly');
    // An active token offers Revoke but not Delete.
    await expect(target.getByRole('button', { name: 'Delete ci-readonly' }).count()).resolves.toBe(0);
    await target.getByRole('button', { name: 'Revoke ci-readonly' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke token?' });
    await expect(confirm.textContent()).resolves.toContain('cannot be undone');
    await screenshots(page, 'token-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await target.getByText('Revoked', { exact: true }).waitFor();
    await expect(target.getByRole('button', { name: 'Revoke ci-readonly' }).count()).resolves.toBe(0);

    const refused = await new ApiClient(server, secret).get<{ error: { code: string } }>('/api/v1/whoami');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_revoked');
    expect((await fetch(`${server.url}/v2/`, { headers: { authorization: basicAuth(tokenUsername, secret) } })).status).toBe(401);
    await expectNoSecretsInStorage(page, secrets);
  });

  it('deletes the revoked token', async () => {
    const target = row(page, 'ci-readonly');
    await target.getByRole('button', { name: 'Delete ci-readonly' }).click();
    await page.getByRole('dialog', { name: 'Delete token?' }).getByRole('button', { name: 'Delete token' }).click();
    await target.waitFor({ state: 'detached' });
    const listed = await admin.get<{ tokens: { name: string }[] }>('/api/v1/tokens');
    expect(listed.body.tokens.map((t) => t.name)).toEqual(['build-bot']);
    await screenshots(page, 'tokens');
    await expectNoSecretsInStorage(page, secrets);
  });

  it("a developer sees Revoke only on their own tokens, and the API refuses the admin's too", async () => {
    const developer = await createUser(admin, 'devon', 'developer');
    const own = await developer.createToken({ name: 'devon-laptop', permission: 'read-write', expiresAt: null });
    const adminToken = (await admin.get<{ tokens: { id: string; name: string }[] }>('/api/v1/tokens')).body.tokens.find((t) => t.name === 'build-bot');

    const devContext = await newContext(browser, server);
    const devPage = await devContext.newPage();
    await logInThroughPage(devPage, 'devon', 'pw-devon-0123456789');
    await row(devPage, 'build-bot').waitFor();
    await expect(row(devPage, 'build-bot').getByRole('button', { name: /Revoke/ }).count()).resolves.toBe(0);
    await row(devPage, 'devon-laptop').getByRole('button', { name: 'Revoke devon-laptop' }).waitFor();
    // Developers do not get the admin pages in the navigation.
    await expect(devPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).count()).resolves.toBe(0);

    const refused = await devPage.evaluate(async (id) => {
      const who = await (await fetch('/api/v1/whoami')).json();
      const res = await fetch(`/api/v1/tokens/${id}/revoke`, { method: 'POST', headers: { 'x-csrf-token': who.csrfToken } });
      return { status: res.status, body: await res.json() };
    }, adminToken?.id ?? 'missing');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    await expectNoSecretsInStorage(devPage, [...secrets, own.token]);
    await devContext.close();
  });
});
