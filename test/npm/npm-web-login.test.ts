import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, NpmWebLoginRequest, TokenList } from '../../src/api/answers.js';
import { ApiClient, login } from '../helpers/api.js';
import { launchBrowser, newContext } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox, type NpmResult } from './npm-cli.js';

interface Started {
  loginUrl: string;
  doneUrl: string;
}

/** Opens a web login the way npm does (POST {hostname}), without npm. */
async function startWebLogin(server: TestServer, prefix = '/npm/'): Promise<Started> {
  const res = await fetch(`${server.url}${prefix}-/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hostname: 'build-box' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Started;
}

const idOf = (loginUrl: string) => loginUrl.split('/').pop() ?? '';

async function poll(doneUrl: string): Promise<{ status: number; retryAfter: string | null; body: { token?: string; error?: string } }> {
  const res = await fetch(doneUrl);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { token?: string; error?: string } };
}

/**
 * `npm login` with npm's default web flow: the real npm prints the approval URL and polls, Chromium signs in
 * on that page and approves or denies; plus the done URL's rules checked directly (secret, once only, expiry).
 */
describe('npm web login', () => {
  let server: TestServer;
  let admin: ApiClient;
  let sandbox: NpmSandbox;
  let browser: Browser;
  let project: string;
  const doneUrls: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    sandbox = new NpmSandbox();
    browser = await launchBrowser();
    project = sandbox.project(`registry=http://localhost:${server.port}/artifactory/api/npm/npm/\n`);
  });

  afterAll(async () => {
    await browser?.close();
    sandbox?.remove();
    await server?.stop();
  });

  /** Runs `npm login --auth-type=web` and hands the URL it prints to `decide` (in a browser), then waits for npm. */
  async function npmLoginThroughBrowser(decide: (page: Page) => Promise<void>): Promise<{ npm: NpmResult; loginUrl: string }> {
    let seen: (url: string) => void = () => undefined;
    const printed = new Promise<string>((resolve) => (seen = resolve));
    const npm = sandbox.run(project, ['login', '--auth-type=web'], {
      timeoutMs: 60_000,
      onOutput: (soFar) => {
        const url = /(http:\/\/\S+\/npm-login\/[0-9a-f-]{36})/.exec(soFar)?.[1];
        if (url) seen(url);
      },
    });
    const loginUrl = await Promise.race([printed, npm.then((r) => Promise.reject(new Error(`npm ended before printing a URL:\n${r.output}`)))]);
    const context = await newContext(browser, server);
    try {
      const page = await context.newPage();
      await page.goto(loginUrl);
      // Signed out: the login page first, then the same address shows the request.
      await page.getByLabel('Username').fill(server.admin.username);
      await page.getByLabel('Password').fill(server.admin.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'npm login' }).waitFor();
      await page.getByText('build-box').or(page.getByText(/127\.0\.0\.1|::1|localhost/)).first().waitFor();
      await decide(page);
    } finally {
      await context.close();
    }
    return { npm: await npm, loginUrl };
  }

  it('the real npm logs in once the user approves in the browser; the token is theirs and listed', async () => {
    const { npm } = await npmLoginThroughBrowser(async (page) => {
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText(/Approved\./).waitFor();
    });
    expect(npm.code, npm.output).toBe(0);
    expect(npm.output).toContain('Logged in on');
    const saved = /:_authToken=(flyr_\w+)/.exec(readFileSync(sandbox.userconfig, 'utf8'))?.[1];
    expect(saved).toBeDefined();

    const tokens = (await admin.get<TokenList>('/api/v1/tokens')).body.tokens.filter((t) => t.name.startsWith('npm login ('));
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ permission: 'read-write', status: 'active', createdBy: server.admin.username });
    const whoami = await sandbox.run(project, ['whoami']);
    expect(whoami.code, whoami.output).toBe(0);
    expect(whoami.stdout.trim()).toBe(tokens[0]?.username);

    const actions = (await admin.get<AuditPage>('/api/v1/audit?limit=50')).body.events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['npm_login.approved', 'npm_login.token_issued', 'token.created']));
  });

  it('Deny makes npm fail, and no token is created', async () => {
    const before = (await admin.get<TokenList>('/api/v1/tokens')).body.tokens.length;
    const userconfig = readFileSync(sandbox.userconfig, 'utf8');
    const { npm, loginUrl } = await npmLoginThroughBrowser(async (page) => {
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.getByText(/Denied\./).waitFor();
    });
    console.log(`npm after Deny (exit ${npm.code}):\n${npm.output}`);
    expect(npm.code).not.toBe(0);
    // npm 11 takes any 4xx from the done URL for "web login not supported" and falls back to its
    // username prompt (here without a terminal, so it stops): it never shows the body's message.
    expect(npm.output).not.toContain('Logged in on');
    expect(readFileSync(sandbox.userconfig, 'utf8')).toBe(userconfig);
    expect((await admin.get<NpmWebLoginRequest>(`/api/v1/npm-logins/${idOf(loginUrl)}`)).body.state).toBe('denied');
    expect((await admin.get<TokenList>('/api/v1/tokens')).body.tokens).toHaveLength(before);
    const actions = (await admin.get<AuditPage>('/api/v1/audit?limit=50')).body.events.map((e) => e.action);
    expect(actions).toContain('npm_login.denied');
  });

  it('polling waits with 202 and Retry-After, then gives the token to the first poll only', async () => {
    const started = await startWebLogin(server, '/artifactory/api/npm/npm/');
    doneUrls.push(started.doneUrl);
    expect(started.loginUrl).toMatch(new RegExp(`^http://localhost:${server.port}/npm-login/[0-9a-f-]{36}$`));
    expect(started.doneUrl.startsWith(`http://localhost:${server.port}/artifactory/api/npm/npm/-/v1/login/done/`)).toBe(true);
    // The login URL does not carry what collects the token.
    const secret = started.doneUrl.split('/').pop() ?? '';
    expect(started.loginUrl).not.toContain(secret);

    const waiting = await poll(started.doneUrl);
    expect(waiting.status).toBe(202);
    expect(Number(waiting.retryAfter)).toBeGreaterThan(0);

    const shown = await admin.get<NpmWebLoginRequest>(`/api/v1/npm-logins/${idOf(started.loginUrl)}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ state: 'pending', hostname: 'build-box' });
    expect(JSON.stringify(shown.body)).not.toContain(secret);

    expect((await admin.post(`/api/v1/npm-logins/${idOf(started.loginUrl)}/approve`)).status).toBe(200);
    // Two racing polls: exactly one gets a token.
    const [a, b] = await Promise.all([poll(started.doneUrl), poll(started.doneUrl)]);
    const winners = [a, b].filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.body.token).toMatch(/^flyr_/);
    const loser = [a, b].find((r) => r.status !== 200);
    expect(loser?.status).toBe(409);
    expect(loser?.body.error).toMatch(/already used/);
    const again = await poll(started.doneUrl);
    expect(again.status).toBe(409);

    // The issued token works against the registry.
    const who = await fetch(`${server.url}/npm/-/whoami`, { headers: { authorization: `Bearer ${winners[0]?.body.token ?? ''}` } });
    expect(who.status).toBe(200);
    // Decided requests stay decided.
    expect((await admin.post(`/api/v1/npm-logins/${idOf(started.loginUrl)}/deny`)).status).toBe(409);
  });

  it('a denied request answers its poll with 403 and says so in the npm error format', async () => {
    const started = await startWebLogin(server);
    doneUrls.push(started.doneUrl);
    expect((await admin.post(`/api/v1/npm-logins/${idOf(started.loginUrl)}/deny`)).status).toBe(200);
    const denied = await poll(started.doneUrl);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: 'This npm login was denied in Fly Registry: no token was created' });
    expect((await admin.post(`/api/v1/npm-logins/${idOf(started.loginUrl)}/approve`)).status).toBe(409);
  });

  it('a poll with a wrong secret or an unknown id gets 404; the body is validated', async () => {
    const started = await startWebLogin(server);
    doneUrls.push(started.doneUrl);
    const secret = started.doneUrl.split('/').pop() ?? '';
    const wrong = await poll(started.doneUrl.replace(secret, `flyl_${'A'.repeat(38)}`));
    expect(wrong.status).toBe(404);
    expect(wrong.body.error).toMatch(/wrong secret/);
    const unknown = await poll(started.doneUrl.replace(idOf(started.loginUrl), '00000000-0000-4000-8000-000000000000'));
    expect(unknown.status).toBe(404);
    // npm may also send no body at all.
    expect((await fetch(`${server.url}/npm/-/v1/login`, { method: 'POST' })).status).toBe(200);
    const bad = await fetch(`${server.url}/npm/-/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hostname": 42}' });
    expect(bad.status).toBe(400);
    // Registry tokens cannot approve: only a signed-in user can.
    const ci = await admin.createToken({ name: 'ci', permission: 'read-write' });
    const byToken = await new ApiClient(server, ci.token).post(`/api/v1/npm-logins/${idOf(started.loginUrl)}/approve`);
    expect(byToken.status).toBe(403);
    expect((await poll(started.doneUrl)).status).toBe(202);
  });

  it('keeps the done secrets out of the server logs', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const logs = server.output();
    expect(doneUrls.length).toBeGreaterThan(0);
    for (const url of doneUrls) expect(logs).not.toContain(url.split('/').pop());
    expect(logs).not.toMatch(/flyl_[A-Za-z0-9]{20,}/);
  });
});

describe('an expired npm web login', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_NPM_WEB_LOGIN_TTL: '1' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('cannot be approved or collected (410)', async () => {
    const admin = await login(server);
    const started = await startWebLogin(server);
    await new Promise((r) => setTimeout(r, 1200));
    const approve = await admin.post<{ error: { message: string } }>(`/api/v1/npm-logins/${idOf(started.loginUrl)}/approve`);
    expect(approve.status).toBe(410);
    expect(approve.body.error.message).toMatch(/expired/);
    const polled = await poll(started.doneUrl);
    expect(polled.status).toBe(410);
    expect(polled.body.error).toMatch(/expired/);
    expect((await admin.get<NpmWebLoginRequest>(`/api/v1/npm-logins/${idOf(started.loginUrl)}`)).body.state).toBe('expired');
  });
});
