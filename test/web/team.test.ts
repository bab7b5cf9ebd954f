import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient } from '../helpers/api.js';
import { adminPage, expectNoSecretsInStorage, launchBrowser, newContext, screenshots, sessionCookie } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

describe('Team, invitations, audit log and profile in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;
  let invitationUrl = '';
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await login(server);
    let cookie: string;
    ({ page, sessionCookie: cookie } = await adminPage(browser, server));
    secrets.push(cookie);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an admin invites a person and gets the one-time link to copy', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    await page.getByRole('button', { name: 'Invite person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a person' });
    await dialog.getByLabel('Username').fill('dana');
    await dialog.getByLabel('Email').fill('dana@example.com');
    await dialog.getByLabel('Full name (optional)').fill('Dana Scully');
    await dialog.getByLabel('Role').selectOption('developer');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();

    const invited = page.getByRole('dialog', { name: 'dana is invited' });
    invitationUrl = await invited.getByLabel('Invitation link', { exact: true }).inputValue();
    expect(invitationUrl).toMatch(/\/invite\/flyi_[0-9A-Za-z]+$/);
    secrets.push(new URL(invitationUrl).pathname.split('/').pop() ?? 'missing');
    await invited.getByRole('button', { name: 'Copy invitation link' }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(invitationUrl);
    await screenshots(page, 'team-invited');
    await invited.getByRole('button', { name: 'Done' }).click();

    await row(page, 'dana@example.com').getByText('Invited', { exact: true }).waitFor();
    await expectNoSecretsInStorage(page, secrets);
  });

  it('the invitation link opens a sign-up page that activates the account and logs the person in', async () => {
    const inviteeContext = await newContext(browser, server);
    const invitee = await inviteeContext.newPage();
    await invitee.goto(invitationUrl);
    await invitee.getByRole('heading', { name: 'Join Fly Registry' }).waitFor();
    await invitee.getByText('dana@example.com').waitFor();
    await screenshots(invitee, 'invitation-sign-up');

    await invitee.getByLabel('New password').fill('correct horse battery');
    await invitee.getByLabel('Repeat the password').fill('correct horse batter');
    await invitee.getByRole('button', { name: 'Activate account and log in' }).click();
    await expect(invitee.getByRole('alert').textContent()).resolves.toContain('The two passwords differ');

    await invitee.getByLabel('Repeat the password').fill('correct horse battery');
    await invitee.getByRole('button', { name: 'Activate account and log in' }).click();
    await invitee.getByRole('button', { name: 'Account menu for dana' }).waitFor();
    expect(new URL(invitee.url()).pathname).toBe('/tokens');
    await expectNoSecretsInStorage(invitee, [...secrets, (await sessionCookie(inviteeContext))?.value ?? 'missing']);

    // The link worked once: opened again, it says so in words.
    const again = await inviteeContext.newPage();
    await again.goto(invitationUrl);
    await expect(again.getByRole('alert').textContent()).resolves.toContain('invalid, expired or already used');
    await inviteeContext.close();

    const users = await admin.get<{ users: { username: string; status: string; name: string }[] }>('/api/v1/users');
    expect(users.body.users.find((u) => u.username === 'dana')).toMatchObject({ status: 'active', name: 'Dana Scully' });
  });

  it('an admin changes a role and deactivates a person', async () => {
    await page.reload();
    const dana = row(page, 'dana@example.com');
    await dana.getByText('Active', { exact: true }).waitFor();
    await dana.getByLabel('Role of dana').selectOption('admin');
    await page.getByText('dana is now an admin').waitFor();
    const afterRole = await admin.get<{ users: { username: string; role: string }[] }>('/api/v1/users');
    expect(afterRole.body.users.find((u) => u.username === 'dana')?.role).toBe('admin');

    await dana.getByRole('button', { name: 'Deactivate dana' }).click();
    await page.getByRole('dialog', { name: 'Deactivate dana?' }).getByRole('button', { name: 'Deactivate' }).click();
    await dana.getByText('Deactivated', { exact: true }).waitFor();
    await screenshots(page, 'team');

    // Admins do not change their own role from the dashboard (it could lock the team out).
    await expect(row(page, 'admin@localhost').getByLabel('Role of admin').count()).resolves.toBe(0);
  });

  it('the audit log shows what happened, newest first', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await row(page, 'user.invited').waitFor();
    const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.slice(0, 4)).toEqual(['user.deactivated', 'user.role_changed', 'login.succeeded', 'user.activated']);
    await screenshots(page, 'audit');
  });

  it('the avatar menu works from the keyboard and leads to the profile and to logging out', async () => {
    const menuButton = page.getByRole('button', { name: 'Account menu for admin' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menuitem', { name: 'Token Management' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Your profile' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByText('admin@localhost').waitFor();
    await screenshots(page, 'profile');

    await menuButton.click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Fly Registry' }).waitFor();
    await page.getByText('You are logged out.').waitFor();
    const after = await page.evaluate(() => fetch('/api/v1/whoami').then((r) => r.status));
    expect(after).toBe(401);
    await expectNoSecretsInStorage(page, secrets);
  });
});
