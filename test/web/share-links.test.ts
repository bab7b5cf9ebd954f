import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, CreatedShareLink, SharedFiles, ShareLinkList } from '../../src/api/answers.js';
import { ApiClient, createUser, login, type CreatedToken } from '../helpers/api.js';
import { expectNoSecretsInStorage, launchBrowser, logInThroughPage, newContext, screenshots } from '../helpers/browser.js';
import { runTool } from '../helpers/run-tool.js';
import { startServer, type TestServer } from '../helpers/server.js';

const PAYLOAD = randomBytes(300_000);

/**
 * Share links with real clients against a real server: curl downloads through the link with no account,
 * Node's fetch checks Range, HEAD and the listing; the link counts downloads, stops at its maximum, ends
 * at its expiry, and a revocation in the dashboard (Chromium) stops the very next download.
 */
describe('Share links of generic files', () => {
  let server: TestServer;
  let admin: ApiClient;
  let dev: ApiClient;
  let writer: CreatedToken;
  let browser: Browser;
  let work: string;
  const secrets: string[] = [];

  const curl = (args: string[]) => runTool('curl', ['-sS', '--max-time', '30', ...args], { cwd: work, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work } });
  const share = async (client: ApiClient, body: Record<string, unknown>) => {
    const res = await client.post<CreatedShareLink>('/api/v1/share-links', body);
    if (res.status === 201) secrets.push(res.body.url.split('/share/')[1] ?? 'missing');
    return res;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    dev = await createUser(admin, 'dana');
    writer = await dev.createToken({ name: 'uploader', permission: 'read-write' });
    work = mkdtempSync(join(tmpdir(), 'fly-share-'));
    for (const [file, body] of [['app.bin', PAYLOAD], ['README.txt', Buffer.from('read me\n')]] as const) {
      const res = await fetch(`${server.url}/generic/app/1.0.0/${file}`, { method: 'PUT', headers: { authorization: `Bearer ${writer.token}` }, body: new Uint8Array(body) });
      expect(res.status).toBe(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shares a version with no account: curl downloads byte-identical, Range and HEAD work, the maximum holds', async () => {
    const created = await share(dev, { name: 'app', version: '1.0.0', maxDownloads: 3, note: 'for the customer' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'app', version: '1.0.0', file: null, maxDownloads: 3, downloadCount: 0, status: 'active', createdBy: 'dana' });
    expect(created.body.url).toMatch(/^http:\/\/[^/]+\/share\/flyd_[0-9A-Za-z]{38}$/);
    // Seven days unless said otherwise.
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const url = created.body.url;

    const listing = await fetch(url, { headers: { accept: 'application/json' } });
    const files = (await listing.json()) as SharedFiles;
    expect(files.files.map((f) => f.file).sort()).toEqual(['README.txt', 'app.bin']);
    expect(files.files.find((f) => f.file === 'app.bin')).toMatchObject({ size: PAYLOAD.length });
    const html = await curl(['-L', url]);
    expect(html.stdout).toContain('<a href="app.bin">app.bin</a>');

    const downloaded = await curl(['-f', '-o', 'app.bin', `${url}/app.bin`]);
    expect(downloaded.code, downloaded.output).toBe(0);
    expect(readFileSync(join(work, 'app.bin')).equals(PAYLOAD)).toBe(true);

    const head = await fetch(`${url}/app.bin`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(PAYLOAD.length));
    const ranged = await fetch(`${url}/app.bin`, { headers: { range: 'bytes=1000-1999' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 1000-1999/${PAYLOAD.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(PAYLOAD.subarray(1000, 2000))).toBe(true);
    expect((await fetch(`${url}/README.txt`)).status).toBe(200);

    // Three GETs of a file counted (the listings and the HEAD did not): the fourth is refused.
    const fourth = await curl(['-f', '-o', 'again.bin', `${url}/app.bin`]);
    expect(fourth.code).not.toBe(0);
    expect(fourth.stderr).toContain('404');
    const refused = await fetch(`${url}/app.bin`);
    expect(await refused.text()).toContain('This share link has reached its download limit');
    const listed = await dev.get<ShareLinkList>('/api/v1/share-links');
    expect(listed.body.shareLinks[0]).toMatchObject({ downloadCount: 3, status: 'used-up' });
    expect(JSON.stringify(listed.body)).not.toContain('flyd_');
  });

  it('shares one file until its expiry; other files, unknown links and bad requests are refused', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const one = await share(dev, { name: 'app', version: '1.0.0', file: 'README.txt', expiresAt });
    expect(one.status).toBe(201);
    const direct = await fetch(one.body.url);
    expect(direct.headers.get('content-disposition')).toBe('attachment; filename="README.txt"');
    expect(await direct.text()).toBe('read me\n');
    expect((await fetch(`${one.body.url}/app.bin`)).status).toBe(404);

    expect((await fetch(`${server.url}/share/flyd_${'x'.repeat(38)}`)).status).toBe(404);
    expect((await share(dev, { name: 'app', version: '9.9.9' })).status).toBe(404);
    expect((await share(dev, { name: 'app', version: '1.0.0', file: 'missing.txt' })).status).toBe(404);
    expect((await share(dev, { name: 'app', version: '1.0.0', expiresAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
    // A registry token is for artifacts: links are made by a signed-in user.
    expect((await share(new ApiClient(server, writer.token), { name: 'app', version: '1.0.0' })).status).toBe(403);
  });

  it('a revocation in the dashboard stops the next download; it is audited without the secret', async () => {
    const created = await share(dev, { name: 'app', version: '1.0.0', file: 'app.bin', note: 'mirror' });
    expect((await fetch(created.body.url)).status).toBe(200);

    const context = await newContext(browser, server);
    const page: Page = await context.newPage();
    await logInThroughPage(page, 'dana', 'pw-dana-0123456789');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Share links' }).click();
    const table = page.getByRole('table', { name: 'Share links' });
    const row = table.getByRole('row').filter({ hasText: 'mirror' });
    await row.getByText('Active', { exact: true }).waitFor();
    await expect(row.getByRole('cell', { name: '1', exact: true }).count()).resolves.toBe(1);
    await table.getByRole('row').filter({ hasText: 'for the customer' }).getByText('Download limit reached').waitFor();
    await screenshots(page, 'share-links');

    await row.getByRole('button', { name: 'Revoke the link to app@1.0.0/app.bin' }).click();
    await page.getByRole('dialog', { name: 'Revoke the link to app@1.0.0/app.bin?' }).getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    const after = await fetch(created.body.url);
    expect(after.status).toBe(404);
    expect(await after.text()).toContain('This share link was revoked');
    await expectNoSecretsInStorage(page, secrets);
    await context.close();

    const audit = await admin.get<AuditPage>('/api/v1/audit?limit=100');
    const events = audit.body.events.filter((e) => e.action.startsWith('share_link.'));
    expect(events.map((e) => `${e.actor} ${e.action} ${e.target.name ?? ''}`)).toEqual([
      'dana share_link.revoked app@1.0.0/app.bin',
      'dana share_link.created app@1.0.0/app.bin',
      'dana share_link.created app@1.0.0/README.txt',
      'dana share_link.created app@1.0.0',
    ]);
    expect(JSON.stringify(audit.body)).not.toMatch(/flyd_/);
    // Nor did the server log a link's secret.
    for (const secret of secrets) expect(server.output()).not.toContain(secret);
  });

  it('concurrent downloads never pass the maximum', async () => {
    const created = await share(dev, { name: 'app', version: '1.0.0', file: 'README.txt', maxDownloads: 4 });
    const statuses = await Promise.all(Array.from({ length: 12 }, async () => (await fetch(created.body.url)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 404)).toHaveLength(8);
    const listed = await dev.get<ShareLinkList>('/api/v1/share-links');
    expect(listed.body.shareLinks.find((l) => l.id === created.body.id)).toMatchObject({ downloadCount: 4, status: 'used-up' });
  });

  it('only its creator or an admin revokes a link', async () => {
    const created = await share(admin, { name: 'app', version: '1.0.0' });
    const refused = await dev.post<{ error: { message: string } }>(`/api/v1/share-links/${created.body.id}/revoke`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Only its creator or an admin can revoke a share link');
    expect((await fetch(created.body.url, { headers: { accept: 'application/json' } })).status).toBe(200);
  });
});
