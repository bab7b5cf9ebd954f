import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { adminPage, expectNoSecretsInStorage, launchBrowser, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { creds, skopeo } from '../oci/helpers/registry.js';

/** Short form the dashboard shows for a digest (sha256: + 12 hex). */
const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

describe('Environments and releases in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;
  let v1: Descriptor;
  let v2: Descriptor;
  const secrets: string[] = [];
  const image = (ref: string) => `docker://${server.host}/${ref}`;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await login(server);

    // CI's side: push two versions of an image with a read & write token and record a release for each.
    const ci = await admin.createToken({ name: 'ci', permission: 'read-write', expiresAt: null });
    const layout = new OciLayout();
    v1 = await layout.addImage({ layers: 1 });
    v2 = await layout.addImage({ layers: 1 });
    layout.tag(v1, 'v1');
    layout.tag(v2, 'v2');
    for (const [tag, descriptor] of [['v1', v1], ['v2', v2]] as const) {
      const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(ci), `oci:${layout.dir}:${tag}`, image(`shop/api:${tag}`)]);
      expect(pushed.code, pushed.stderr).toBe(0);
      const release = await admin.post('/api/v1/releases', {
        name: 'shop/api',
        version: tag,
        artifacts: [{ type: 'oci', repository: 'shop/api', digest: descriptor.digest }],
        source: { commit: `${tag}0123456789abcdef`, branch: 'main', pr: 42, author: 'dana', url: `https://ci.example.com/runs/${tag}` },
        notes: `Release ${tag} of the shop API.`,
      });
      expect(release.status, JSON.stringify(release.body)).toBe(201);
    }

    let cookie: string;
    ({ page, sessionCookie: cookie } = await adminPage(browser, server));
    secrets.push(cookie);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let productionToken = '';

  it('creates an environment with a colour and a token in one dialog, and shows the token once with its pull secret', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
    await page.getByText('No environments yet.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Create environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create environment' });
    await dialog.getByLabel('Name').fill('production');
    await dialog.getByLabel('Description (optional)').fill('Customer-facing cluster');
    await dialog.getByLabel('Red').check();
    await expect(dialog.getByLabel('Generate a token').isChecked()).resolves.toBe(true);
    await expect(dialog.getByLabel('Read-Only').isChecked()).resolves.toBe(true);
    await screenshots(page, 'environment-create-dialog');
    await dialog.getByRole('button', { name: 'Create environment' }).click();

    const shown = page.getByRole('dialog', { name: /Token “production” created/ });
    productionToken = await shown.getByLabel('Token', { exact: true }).inputValue();
    expect(productionToken).toMatch(/^flyr_/);
    secrets.push(productionToken);
    await expect(shown.getByRole('region', { name: 'Kubernetes pull secret (kubectl)' }).textContent()).resolves.toContain(productionToken);
    await expect(shown.getByRole('region', { name: 'Kubernetes pull secret (manifest)' }).textContent()).resolves.toContain('kubernetes.io/dockerconfigjson');
    await expectNoSecretsInStorage(page, secrets);
    await shown.getByRole('button', { name: 'Done, I have copied it' }).click();

    await page.waitForURL('**/environments/production');
    await page.getByText('No deployments recorded yet.').waitFor();
    const tokenRow = page.getByRole('row').filter({ hasText: 'Read-Only' });
    await expect(tokenRow.getByText('production', { exact: true }).count()).resolves.toBe(1);
    expect(await page.content()).not.toContain(productionToken);
  });

  it('the timeline shows a pull made with the environment token, and the drift says behind by 1', async () => {
    const profile = await admin.get<{ tokens: { username: string }[] }>('/api/v1/environments/production');
    const username = profile.body.tokens[0]?.username ?? 'missing';
    const pulled = await skopeo(['inspect', '--tls-verify=false', '--creds', `${username}:${productionToken}`, image('shop/api:v1')]);
    expect(pulled.code, pulled.stderr).toBe(0);

    // Pull events are written in batches (at most a second later): reload until the deployment shows.
    const timeline = page.getByRole('list', { name: 'Deployments in production, newest first' });
    for (let attempt = 0; attempt < 20 && !(await timeline.isVisible()); attempt++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    const entry = timeline.getByRole('listitem').first();
    await expect(entry.textContent()).resolves.toContain('shop/api:v1');
    await expect(entry.textContent()).resolves.toContain(short(v1.digest));
    await entry.getByRole('link', { name: 'shop/api v1' }).waitFor();
    await entry.getByText('Running').waitFor();

    const drift = page.getByRole('table', { name: /What runs in production/ });
    await drift.getByText('Behind by 1').waitFor();
    await drift.getByRole('link', { name: 'shop/api v2' }).waitFor();
    await screenshots(page, 'environment-profile');
    await expectNoSecretsInStorage(page, secrets);
  });

  it('the list shows each environment with its colour and what runs there; compare shows both digests', async () => {
    const staging = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'staging', color: '#d97706', token: {} });
    expect(staging.status).toBe(201);
    const pulled = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(staging.body.token), image('shop/api:v2')]);
    expect(pulled.code, pulled.stderr).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
    const cards = page.getByRole('list', { name: 'Environments' });
    const stagingCard = cards.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'staging' }) });
    for (let attempt = 0; attempt < 20 && !(await stagingCard.getByText('shop/api').isVisible()); attempt++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    const productionCard = cards.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'production' }) });
    await expect(productionCard.textContent()).resolves.toContain(short(v1.digest));
    await expect(stagingCard.textContent()).resolves.toContain(short(v2.digest));
    await screenshots(page, 'environments');

    await page.getByRole('link', { name: 'Compare' }).click();
    await page.getByLabel('Environment', { exact: true }).selectOption('production');
    await page.getByLabel('Compared with').selectOption('staging');
    const row = page.getByRole('row').filter({ hasText: 'shop/api' });
    await expect(row.textContent()).resolves.toContain(short(v1.digest));
    await expect(row.textContent()).resolves.toContain(short(v2.digest));
    expect(new URL(page.url()).search).toBe('?a=production&b=staging');
    await screenshots(page, 'environments-compare');
  });

  it('deleting an environment asks first, then revokes its tokens', async () => {
    await page.goto('/environments/staging');
    await page.getByRole('button', { name: 'Delete environment' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete staging?' });
    await expect(confirm.textContent()).resolves.toContain('cannot be undone');
    await confirm.getByRole('button', { name: 'Delete environment' }).click();
    await page.waitForURL('**/environments');
    await page.getByRole('link', { name: 'production' }).waitFor();
    await expect(page.getByRole('link', { name: 'staging' }).count()).resolves.toBe(0);
    const tokens = await admin.get<{ tokens: { name: string; status: string }[] }>('/api/v1/tokens');
    expect(tokens.body.tokens.find((t) => t.name === 'staging')?.status).toBe('revoked');
  });

  it('releases list and detail show artifacts and source links', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' }).click();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await screenshots(page, 'releases');

    await page.getByLabel('Search').fill('v2');
    expect(await rows.count()).toBe(1);
    await rows.first().getByRole('link', { name: 'shop/api' }).click();
    await page.getByRole('heading', { name: 'shop/api v2' }).waitFor();
    await expect(page.getByRole('table', { name: 'Artifacts of this release' }).textContent()).resolves.toContain(v2.digest);
    await expect(page.getByRole('link', { name: 'https://ci.example.com/runs/v2' }).getAttribute('href')).resolves.toBe('https://ci.example.com/runs/v2');
    await page.getByText('v20123456789abcdef').waitFor();
    await screenshots(page, 'release-detail');
    await expectNoSecretsInStorage(page, secrets);
  });
});
