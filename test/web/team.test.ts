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

  it('an admin resends an invitation (the old link dies) and deletes someone who never joined', async () => {
    const invited = await admin.post<{ user: { id: string }; invitationToken: string }>('/api/v1/users', { username: 'eve', email: 'eve@example.com', role: 'developer' });
    expect(invited.status).toBe(201);
    const oldLink = invited.body.invitationToken;
    secrets.push(oldLink);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    const eve = row(page, 'eve@example.com');
    await eve.getByText('Invited', { exact: true }).waitFor();
    // People who joined have no such actions.
    await expect(row(page, 'dana@example.com').getByRole('button', { name: /Resend invitation|^Delete/ }).count()).resolves.toBe(0);

    await eve.getByRole('button', { name: 'Resend invitation to eve' }).click();
    await page.getByRole('dialog', { name: 'Resend the invitation to eve?' }).getByRole('button', { name: 'Make a new link' }).click();
    const resent = page.getByRole('dialog', { name: 'New invitation link for eve' });
    const newUrl = await resent.getByLabel('Invitation link', { exact: true }).inputValue();
    const newLink = new URL(newUrl).pathname.split('/').pop() ?? 'missing';
    secrets.push(newLink);
    expect(newLink).toMatch(/^flyi_/);
    expect(newLink).not.toBe(oldLink);
    await screenshots(page, 'team-invitation-resent');
    await resent.getByRole('button', { name: 'Done' }).click();

    expect((await admin.get(`/api/v1/invitations/${oldLink}`)).status).toBe(404);
    expect((await admin.get<{ username: string }>(`/api/v1/invitations/${newLink}`)).body).toMatchObject({ username: 'eve' });

    await eve.getByRole('button', { name: 'Delete eve' }).click();
    await page.getByRole('dialog', { name: 'Delete eve?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('eve deleted').waitFor();
    await eve.waitFor({ state: 'detached' });
    const users = await admin.get<{ users: { username: string }[] }>('/api/v1/users');
    expect(users.body.users.map((u) => u.username)).not.toContain('eve');
    expect((await admin.get(`/api/v1/invitations/${newLink}`)).status).toBe(404);

    // Someone who joined is deactivated, never deleted, and has no invitation to resend.
    const dana = users.body.users.find((u) => u.username === 'dana') as unknown as { id: string };
    const refusedDelete = await admin.request<{ error: { message: string } }>('DELETE', `/api/v1/users/${dana.id}`);
    expect(refusedDelete.status).toBe(409);
    expect(refusedDelete.body.error.message).toContain('deactivate them instead');
    expect((await admin.post(`/api/v1/users/${dana.id}/invitation`)).status).toBe(409);

    const audit = await admin.get<{ events: { action: string; actor: string; target: { name?: string } }[] }>('/api/v1/audit');
    const eveEvents = audit.body.events.filter((e) => e.target.name === 'eve').map((e) => `${e.actor} ${e.action}`);
    expect(eveEvents).toEqual(['admin user.deleted', 'admin user.invitation_resent', 'admin user.invited']);
    await expectNoSecretsInStorage(page, secrets);
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
