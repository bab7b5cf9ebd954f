import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageDetail, PackagePage } from '../../src/api/answers.js';
import { ApiClient, basicAuth, login, type CreatedToken } from '../helpers/api.js';
import { adminPage, launchBrowser } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { zipOf } from '../support/go-zips.js';
import { cargoPublishBody } from '../support/cargo-publish.js';

const MODULE = 'example.com/fly/greet';

/**
 * The Packages section lists every protocol, not only OCI, npm and PyPI: one package of each of Maven,
 * generic files, Go, Helm and Cargo, uploaded through its own protocol's wire API with a read & write
 * token, shows in the list, the type filter and its page (install command, files, publisher), and the
 * actions the protocol has (delete, yank) work from the API the dashboard calls.
 */
describe('Packages: Maven, generic, Go, Helm and Cargo', () => {
  let server: TestServer;
  let admin: ApiClient;
  let ci: CreatedToken;
  let browser: Browser;
  let page: Page;

  const put = async (path: string, body: Buffer | string, headers: Record<string, string> = { authorization: `Bearer ${ci.token}` }) => {
    const res = await fetch(`${server.url}${path}`, { method: 'PUT', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
    expect(res.status, `${path}: ${await res.text()}`).toBeLessThan(300);
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    ci = await admin.createToken({ name: 'ci publisher', permission: 'read-write' });
    await put('/maven/com/example/greeter/1.0.0/greeter-1.0.0.pom', '<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>greeter</artifactId><version>1.0.0</version></project>');
    await put('/maven/com/example/greeter/1.0.0/greeter-1.0.0.jar', 'not really a jar, but bytes');
    await put('/generic/installer/2.1.0/setup.sh', '#!/bin/sh\necho hi\n');
    await put(`/go/${MODULE}/@v/v1.2.0.zip`, await zipOf({ [`${MODULE}@v1.2.0/go.mod`]: `module ${MODULE}\n`, [`${MODULE}@v1.2.0/greet.go`]: 'package greet\n' }), {
      authorization: `Bearer ${ci.token}`,
      'content-type': 'application/zip',
    });
    await put('/helm/charts/webapp-0.3.0.tgz', tarGzOf({ 'webapp/Chart.yaml': 'apiVersion: v2\nname: webapp\nversion: 0.3.0\n' }), basicAuth(ci.username, ci.token));
    const crate = tarGzOf({ 'tiny-0.1.0/Cargo.toml': '[package]\nname = "tiny"\nversion = "0.1.0"\n' });
    await put('/cargo/api/v1/crates/new', cargoPublishBody({ name: 'tiny', vers: '0.1.0', deps: [], features: {}, links: null }, crate), { authorization: ci.token });
    browser = await launchBrowser();
    ({ page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists each in the catalog and its type filter', async () => {
    const all = await admin.get<PackagePage>('/api/v1/packages');
    expect(all.body.protocols.map((p) => p.protocol)).toEqual(['oci', 'npm', 'pypi', 'maven', 'generic', 'go', 'helm', 'cargo']);
    expect(all.body.packages.map((p) => `${p.protocol}:${p.name}`).sort()).toEqual(
      ['cargo:tiny', 'generic:installer', `go:${MODULE}`, 'helm:webapp', 'maven:com.example:greeter'].sort(),
    );
    for (const [protocol, name] of [['maven', 'com.example:greeter'], ['go', MODULE], ['cargo', 'tiny']]) {
      const filtered = await admin.get<PackagePage>(`/api/v1/packages?protocol=${protocol}`);
      expect(filtered.body.packages.map((p) => p.name)).toEqual([name]);
    }
  });

  it('shows each package page with its install command, files and publisher', async () => {
    const expected: [string, string, string, string][] = [
      ['maven', 'com.example:greeter', 'mvn dependency:get -Dartifact=com.example:greeter:1.0.0', 'jar, pom'],
      ['generic', 'installer', 'flyreg download installer@2.1.0', 'sh'],
      ['go', MODULE, `go get ${MODULE}@v1.2.0`, 'zip, go.mod'],
      ['helm', 'webapp', 'helm pull fly/webapp --version 0.3.0', 'chart'],
      ['cargo', 'tiny', 'cargo add tiny@0.1.0 --registry fly', 'crate'],
    ];
    for (const [protocol, name, install, kinds] of expected) {
      const detail = await admin.get<PackageDetail>(`/api/v1/packages/${protocol}/${encodeURIComponent(name)}`);
      expect(detail.status, `${protocol}:${name}`).toBe(200);
      const [version] = detail.body.versions;
      expect(version?.install).toBe(install);
      expect(version?.kind.split(', ').sort()).toEqual(kinds.split(', ').sort());
      // Who published it comes from the one record of publications, for every protocol.
      expect(version?.publishedBy).toEqual({ username: 'admin', tokenName: 'ci publisher' });
      expect(version?.files.length).toBeGreaterThan(0);
    }
  });

  it('yanks a crate and deletes a generic version from the API the dashboard calls; a read-only token may not', async () => {
    const reader = new ApiClient(server, (await admin.createToken({ name: 'reader', permission: 'read-only' })).token);
    expect((await reader.post('/api/v1/packages/cargo/tiny/actions/yank', { version: '0.1.0' })).status).toBe(403);
    const yanked = await admin.post<PackageDetail>('/api/v1/packages/cargo/tiny/actions/yank', { version: '0.1.0' });
    expect(yanked.status, JSON.stringify(yanked.body)).toBe(200);
    expect(yanked.body.versions[0]?.yanked).toBe('yanked');
    expect(yanked.body.actions).toEqual(['yank', 'unyank']);
    const index = await fetch(`${server.url}/cargo/index/ti/ny/tiny`, { headers: { authorization: ci.token } });
    expect(JSON.parse((await index.text()).trim())).toMatchObject({ vers: '0.1.0', yanked: true });

    expect((await reader.post('/api/v1/packages/generic/installer/actions/delete', { version: '2.1.0' })).status).toBe(403);
    const deleted = await admin.post('/api/v1/packages/generic/installer/actions/delete', { version: '2.1.0' });
    expect(deleted.body).toEqual({ deleted: true });
    const gone = await fetch(`${server.url}/generic/installer/2.1.0/setup.sh`, { headers: { authorization: `Bearer ${ci.token}` } });
    expect(gone.status).toBe(404);
  });

  it('the dashboard filters by the new types and opens a crate page with its install command', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).click();
    const table = page.getByRole('table', { name: 'Packages' });
    await table.getByRole('link', { name: 'webapp' }).waitFor();
    await page.getByLabel('Type').selectOption({ label: 'Cargo' });
    await table.getByRole('link', { name: 'webapp' }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'tiny' }).click();
    await page.getByText('cargo add tiny@0.1.0 --registry fly').first().waitFor();
  });
});
