import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, Deployment, PackageDetail, PackagePage } from '../../src/api/answers.js';
import { buildWheel } from '../support/python-dists.js';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { adminPage, launchBrowser, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { creds, skopeo } from '../oci/helpers/registry.js';
import { twineUpload } from '../pypi/twine.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Packages section with real clients behind it: an image index and an image pushed with skopeo (one
 * pulled by production with its environment token), an npm package published with npm, a Python project
 * uploaded with twine. The browser lists, searches, filters and opens them, and deletes through the
 * confirmation that says what breaks.
 */
describe('Packages in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;
  let ci: CreatedToken;
  let index: Descriptor;
  let old: Descriptor;
  const npm = new NpmSandbox();

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await login(server);
    ci = await admin.createToken({ name: 'ci publisher', permission: 'read-write', expiresAt: null });
    const image = (ref: string) => `docker://${server.host}/${ref}`;

    const layout = new OciLayout();
    index = await layout.addIndex(['amd64', 'arm64'], 1);
    layout.tag(index, 'v2');
    old = await layout.addImage({ layers: 1 });
    layout.tag(old, 'v1');
    for (const [tag, all] of [['v2', true], ['v1', false]] as const) {
      const pushed = await skopeo(['copy', ...(all ? ['--all'] : []), '--dest-tls-verify=false', '--dest-creds', creds(ci), `oci:${layout.dir}:${tag}`, image(`shop/api:${tag}`)]);
      expect(pushed.code, pushed.stderr).toBe(0);
    }
    const release = await admin.post('/api/v1/releases', { name: 'shop', version: '2.0.0', artifacts: [{ type: 'oci', repository: 'shop/api', digest: index.digest }] });
    expect(release.status, JSON.stringify(release.body)).toBe(201);

    // production pulls v2 with its environment token: the package page must show where it runs.
    const production = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'production', color: '#d00000', token: { name: 'prod nodes' } });
    const pulled = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(production.body.token), image('shop/api:v2'), `oci:${new OciLayout().dir}:x`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    for (let i = 0; i < 50; i++) {
      const timeline = await admin.get<{ deployments: Deployment[] }>('/api/v1/environments/production/deployments');
      if (timeline.body.deployments.length > 0) break;
      await sleep(100);
    }

    // npm: two versions published by the real npm with the CI token's .npmrc.
    const npmrc = `registry=${server.url}/npm/\n//${server.host}/npm/:_authToken=${ci.token}\n`;
    for (const version of ['1.0.0', '1.1.0']) {
      const dir = npm.project(npmrc, { 'package.json': { name: '@acme/widgets', version, description: 'Widgets' }, 'index.js': 'module.exports = 1;\n' });
      const published = await npm.run(dir, ['publish']);
      expect(published.code, published.output).toBe(0);
    }

    // PyPI: a wheel uploaded with twine.
    const dists = mkdtempSync(join(tmpdir(), 'flyreg-web-pypi-'));
    const wheel = await buildWheel(dists, { name: 'fly-tools', version: '0.3.0' });
    const uploaded = await twineUpload(server.url, '__token__', ci.token, [wheel]);
    rmSync(dists, { recursive: true, force: true });
    expect(uploaded.code, uploaded.stderr).toBe(0);

    ({ page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    npm.remove();
    await browser?.close();
    await server?.stop();
  });

  it('lists every protocol in one table, searches and filters on the server, and pages by name', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).click();
    const table = page.getByRole('table', { name: 'Packages' });
    await table.getByRole('link', { name: 'shop/api' }).waitFor();
    await expect(table.getByRole('link', { name: '@acme/widgets' }).isVisible()).resolves.toBe(true);
    await expect(table.getByRole('link', { name: 'fly-tools' }).isVisible()).resolves.toBe(true);
    await screenshots(page, 'packages-list');

    await page.getByLabel('Search').fill('widg');
    await table.getByRole('link', { name: 'shop/api' }).waitFor({ state: 'detached' });
    await expect(table.getByRole('row').count()).resolves.toBe(2);
    await page.getByLabel('Search').fill('');
    await table.getByRole('link', { name: 'shop/api' }).waitFor();
    await page.getByLabel('Type').selectOption({ label: 'PyPI' });
    await table.getByRole('link', { name: 'shop/api' }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'fly-tools' }).waitFor();
    await expect(table.getByRole('row').count()).resolves.toBe(2);
    await page.getByLabel('Type').selectOption({ label: 'All types' });
    await table.getByRole('link', { name: 'shop/api' }).waitFor();

    // The API's keyset: pages of one follow each other in name order across protocols, without repeats.
    const names: string[] = [];
    let after: string | null = null;
    do {
      const res: { status: number; body: PackagePage } = await admin.get<PackagePage>(`/api/v1/packages?limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(res.status).toBe(200);
      names.push(...res.body.packages.map((p) => `${p.protocol}:${p.name}`));
      after = res.body.next;
    } while (after);
    expect(names).toEqual(['npm:@acme/widgets', 'pypi:fly-tools', 'oci:shop/api']);
  });

  it('shows an image: tags, digests, sizes, platforms, publisher, pull command, where it runs and its releases', async () => {
    await page.getByRole('table', { name: 'Packages' }).getByRole('link', { name: 'shop/api' }).click();
    await page.getByRole('heading', { name: 'shop/api', level: 1 }).waitFor();
    const images = page.getByRole('table', { name: 'Images' });
    const v2 = images.getByRole('row').filter({ hasText: 'v2' });
    await expect(v2.textContent()).resolves.toContain('linux/amd64, linux/arm64');
    await expect(v2.textContent()).resolves.toContain('token “ci publisher”');
    await expect(v2.getByTitle(index.digest, { exact: true }).count()).resolves.toBe(1);
    await expect(v2.textContent()).resolves.toMatch(new RegExp(`docker pull \\S+/shop/api@${index.digest}`));
    await expect(v2.getByRole('button', { name: new RegExp(`^Copy docker pull \\S+/shop/api@${index.digest}$`) }).isVisible()).resolves.toBe(true);

    const runs = page.getByRole('table', { name: 'Where it runs' });
    const production = runs.getByRole('row').filter({ hasText: 'production' });
    await expect(production.textContent()).resolves.toContain('Running');
    await expect(production.getByTitle(index.digest, { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'shop 2.0.0' }).isVisible()).resolves.toBe(true);
    await screenshots(page, 'package-image');
  });

  it('confirms a delete by saying what breaks, then deletes and audits it', async () => {
    const images = page.getByRole('table', { name: 'Images' });
    await images.getByRole('row').filter({ hasText: 'v2' }).getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Delete shop\/api@sha256:/ });
    await expect(dialog.textContent()).resolves.toContain('production still runs this digest');
    await expect(dialog.textContent()).resolves.toContain('Release shop 2.0.0 contains it');
    await expect(dialog.textContent()).resolves.toContain('linux/amd64, linux/arm64');
    await screenshots(page, 'package-delete-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The untagged-once v1 image is deleted for real.
    await images.getByRole('row').filter({ hasText: 'v1' }).getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: /Delete shop\/api@sha256:/ });
    await expect(confirm.textContent()).resolves.toContain('its tags v1');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await images.getByRole('row').filter({ hasText: 'v1' }).waitFor({ state: 'detached' });
    const gone = await fetch(`${server.url}/v2/shop/api/manifests/${old.digest}`, { method: 'HEAD', headers: { authorization: `Basic ${Buffer.from(creds(ci)).toString('base64')}` } });
    expect(gone.status).toBe(404);
    const audit = await admin.get<AuditPage>('/api/v1/audit?limit=5');
    expect(audit.body.events.find((e) => e.action === 'image.manifest_deleted')).toMatchObject({ actor: 'admin', target: { type: 'oci', name: 'shop/api' }, details: { reference: old.digest } });
  });

  it('shows an npm package with dist-tags and its publisher, and deprecates a version', async () => {
    await page.goto('/packages');
    await page.getByRole('table', { name: 'Packages' }).getByRole('link', { name: '@acme/widgets' }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    const latest = versions.getByRole('row').filter({ hasText: '1.1.0' });
    await expect(latest.textContent()).resolves.toContain('latest');
    await expect(latest.textContent()).resolves.toContain('npm install @acme/widgets@1.1.0');
    await expect(latest.textContent()).resolves.toContain('admin');
    await versions.getByRole('row').filter({ hasText: '1.0.0' }).getByRole('button', { name: 'Deprecate' }).click();
    const dialog = page.getByRole('dialog', { name: /Deprecate @acme\/widgets 1.0.0/ });
    await dialog.getByLabel('Message shown to installers').fill('Use 1.1.0');
    await dialog.getByRole('button', { name: 'Deprecate' }).click();
    await versions.getByText('Deprecated: Use 1.1.0').waitFor();
    const packument = await fetch(`${server.url}/npm/@acme%2fwidgets`, { headers: { authorization: `Bearer ${ci.token}` } });
    const body = (await packument.json()) as { versions: Record<string, { deprecated?: string; _npmUser?: { name: string } }>; maintainers?: { name: string }[] };
    expect(body.versions['1.0.0']?.deprecated).toBe('Use 1.1.0');
    expect(body.versions['1.1.0']?._npmUser?.name).toBe('admin');
    expect(body.maintainers?.map((m) => m.name)).toEqual(['admin']);
    await screenshots(page, 'package-npm');
  });

  it('shows a Python project with its wheel and yanks a release', async () => {
    const detail = await admin.get<PackageDetail>('/api/v1/packages/pypi/fly-tools');
    expect(detail.body.versions[0]?.files[0]?.filename).toMatch(/^fly_tools-0\.3\.0-.*\.whl$/);
    await page.goto('/packages/pypi/fly-tools');
    const versions = page.getByRole('table', { name: 'Versions' });
    const row = versions.getByRole('row').filter({ hasText: '0.3.0' });
    await expect(row.textContent()).resolves.toContain("pip install 'fly-tools==0.3.0'");
    await expect(row.textContent()).resolves.toContain('wheel');
    await row.getByRole('button', { name: 'Yank' }).click();
    const dialog = page.getByRole('dialog', { name: /Yank fly-tools 0.3.0/ });
    await expect(dialog.textContent()).resolves.toContain('unless it is pinned');
    await dialog.getByLabel('Reason (optional)').fill('broken build');
    await dialog.getByRole('button', { name: 'Yank' }).click();
    await versions.getByText('Yanked: broken build').waitFor();
    await screenshots(page, 'package-pypi');
  });
});
