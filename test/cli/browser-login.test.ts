import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, login, type ApiErrorBody } from '../helpers/api.js';
import { launchBrowser, newContext } from '../helpers/browser.js';
import { CliUser, type CliRun } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** `flyreg login <url>` with no password: the person approves in the dashboard, through the real Chromium. */
describe('flyreg login in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  const user = new CliUser();

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    user.remove();
  });

  /** Runs `flyreg login <url>`, opens the URL it prints in Chromium (signing in first), checks the code, lets `decide` act. */
  async function loginThroughBrowser(decide: (page: Page) => Promise<void>): Promise<{ cli: CliRun; code: string }> {
    let seen: (found: { url: string; code: string }) => void = () => undefined;
    const printed = new Promise<{ url: string; code: string }>((resolve) => (seen = resolve));
    const cli = user.run(['login', server.url, '--json'], {
      onOutput: (soFar) => {
        const url = /Open (http:\/\/\S+\/cli-login\/[0-9a-f-]{36})/.exec(soFar)?.[1];
        const code = /Code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(soFar)?.[1];
        if (url && code) seen({ url, code });
      },
    });
    const { url, code } = await Promise.race([printed, cli.then((r) => Promise.reject(new Error(`flyreg login ended before printing a URL:\n${r.stderr}`)))]);
    const context = await newContext(browser, server);
    try {
      const page = await context.newPage();
      await page.goto(url);
      await page.getByLabel('Username').fill(server.admin.username);
      await page.getByLabel('Password').fill(server.admin.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'flyreg login' }).waitFor();
      await page.getByText(code).waitFor();
      await decide(page);
    } finally {
      await context.close();
    }
    return { cli: await cli, code };
  }

  it('logs the CLI in once the user approves: the stored session works, no password was typed', async () => {
    const { cli } = await loginThroughBrowser(async (page) => {
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText(/Approved\./).waitFor();
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ url: server.url, username: 'admin', role: 'admin' });
    const stored = JSON.parse(readFileSync(join(user.configDir, 'credentials.json'), 'utf8')) as { sessionToken: string };
    const who = await new ApiClient(server, stored.sessionToken).get<{ user: { username: string } }>('/api/v1/whoami');
    expect(who.body.user.username).toBe('admin');
    const whoami = await user.run(['whoami']);
    expect(whoami.stdout).toContain(`admin (admin) at ${server.url}`);
    // The audit log says how this session began.
    const audit = await (await login(server)).get<{ events: { action: string; details: Record<string, unknown> }[] }>('/api/v1/audit?limit=20');
    expect(audit.body.events.some((e) => e.action === 'login.succeeded' && e.details.via === 'browser')).toBe(true);
  });

  it('says so when the login is denied in the browser, and keeps the previous login', async () => {
    const before = readFileSync(join(user.configDir, 'credentials.json'), 'utf8');
    const { cli } = await loginThroughBrowser(async (page) => {
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.getByText(/Denied\./).waitFor();
    });
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringContaining('flyreg: the login was denied in the browser') });
    expect(readFileSync(join(user.configDir, 'credentials.json'), 'utf8')).toBe(before);
  });

  it('npm cannot collect a CLI login request, nor the CLI an npm one', async () => {
    const api = new ApiClient(server);
    const started = await api.post<{ id: string; pollSecret: string; code: string }>('/api/v1/cli-logins', { hostname: 'laptop' });
    expect(started.status).toBe(201);
    expect(started.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const viaNpm = await fetch(`${server.url}/npm/-/v1/login/done/${started.body.id}/${started.body.pollSecret}`);
    expect(viaNpm.status).toBe(404);
    const pending = await api.post<{ state: string }>(`/api/v1/cli-logins/${started.body.id}/poll`, { secret: started.body.pollSecret });
    expect(pending.body).toMatchObject({ state: 'pending' });
    const wrong = await api.post<ApiErrorBody>(`/api/v1/cli-logins/${started.body.id}/poll`, { secret: 'flyl_nope' });
    expect(wrong.status).toBe(404);
  });
});
