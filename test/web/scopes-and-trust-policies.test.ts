import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Token, TrustPolicy } from '../../src/api/answers.js';
import { createUser, login, type ApiClient } from '../helpers/api.js';
import { adminPage, launchBrowser, logInThroughPage, newContext, screenshots } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

/** Fly Web in Chromium: the token dialog's scope with its live preview, and the CI trust policies page. */
describe('token scopes and CI trust policies in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await login(server);
    const seed = await admin.createToken({ name: 'seed', permission: 'read-write' });
    for (const repo of ['team/api', 'team/web', 'other/api']) await pushImage(server, seed, repo, 'v1');
    await createUser(admin, 'dev-ci');
    ({ page } = await adminPage(browser, server));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a token limited to patterns, previewing what each matches; the table shows the scope', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.getByLabel('Name').fill('team pull');
    await dialog.getByLabel('Read-Only').check();
    await dialog.getByLabel('Only matching').check();
    await dialog.getByLabel('Patterns, one per line').fill('oci:team/*\nnpm:@acme/*');
    const preview = dialog.getByRole('list', { name: 'Matching repositories' });
    await preview.getByText('team/api, team/web').waitFor();
    await preview.getByText('matches nothing yet').waitFor();
    expect(await preview.textContent()).not.toContain('other/api');
    await screenshots(page, 'token-scope-preview');

    // A bad pattern is explained by the server's message while typing.
    await dialog.getByLabel('Patterns, one per line').fill('docker:team/*');
    await dialog.getByRole('alert').getByText(/unknown protocol "docker"/).waitFor();
    await dialog.getByLabel('Patterns, one per line').fill('oci:team/*');
    await preview.getByText('team/api, team/web').waitFor();

    await dialog.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('dialog', { name: /Token “team pull” created/ });
    await shown.getByRole('button', { name: 'Done, I have copied it' }).click();
    await row(page, 'team pull').getByText('oci:team/* (pull)').waitFor();
    await row(page, 'seed').getByTitle('All repositories').waitFor();
    const tokens = await admin.get<{ tokens: Token[] }>('/api/v1/tokens');
    expect(tokens.body.tokens.find((t) => t.name === 'team pull')?.scope).toEqual([{ protocol: 'oci', resource: 'team/*', actions: ['pull'] }]);
  });

  it('an admin creates a trust policy with a scope on the CI access page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CI access' }).click();
    await page.getByRole('heading', { name: 'CI trust policies' }).waitFor();
    await page.getByText('No trust policies yet').waitFor();
    await page.getByRole('button', { name: 'Create policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create trust policy' });
    await dialog.getByLabel('Name').fill('shop-release');
    await dialog.getByLabel('Claim rules, one per line').fill('repository=acme/shop\nref=refs/heads/main\nref=refs/tags/v*');
    await dialog.getByLabel('Only matching').check();
    await dialog.getByLabel('Patterns, one per line').fill('oci:team/*');
    await dialog.getByRole('list', { name: 'Matching repositories' }).getByText('team/api, team/web').waitFor();
    await screenshots(page, 'trust-policy-create');
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    const created = row(page, 'shop-release');
    await created.getByText('oci:team/*').waitFor();
    await created.getByText('refs/heads/main or refs/tags/v*').waitFor();
    const policies = await admin.get<{ policies: TrustPolicy[] }>('/api/v1/oidc/policies');
    expect(policies.body.policies).toHaveLength(1);
    expect(policies.body.policies[0]).toMatchObject({
      name: 'shop-release',
      issuer: 'https://token.actions.githubusercontent.com',
      audience: 'fly-registry',
      rules: [
        { claim: 'repository', values: ['acme/shop'] },
        { claim: 'ref', values: ['refs/heads/main', 'refs/tags/v*'] },
      ],
      permission: 'read-write',
      scope: [{ protocol: 'oci', resource: 'team/*', actions: ['pull', 'push', 'delete'] }],
      tokenTtlSeconds: 900,
    });
    await screenshots(page, 'trust-policies');
  });

  it('a bad policy is refused with the server message in the dialog', async () => {
    await page.getByRole('button', { name: 'Create policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create trust policy' });
    await dialog.getByLabel('Name').fill('too-open');
    await dialog.getByLabel('Claim rules, one per line').fill('repository=*');
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await dialog.getByRole('alert').getByText(/only wildcards/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('a developer sees the policies read-only', async () => {
    const context = await newContext(browser, server);
    const developer = await context.newPage();
    await logInThroughPage(developer, 'dev-ci', 'pw-dev-ci-0123456789');
    await developer.goto('/ci');
    await row(developer, 'shop-release').waitFor();
    await developer.getByText('Only admins can change these policies').waitFor();
    expect(await developer.getByRole('button', { name: 'Create policy' }).count()).toBe(0);
    expect(await developer.getByRole('button', { name: 'Delete shop-release' }).count()).toBe(0);
    await context.close();
  });

  it('an admin deletes the policy after confirming', async () => {
    await row(page, 'shop-release').getByRole('button', { name: 'Delete shop-release' }).click();
    await page.getByRole('dialog', { name: 'Delete shop-release?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No trust policies yet').waitFor();
    expect((await admin.get<{ policies: TrustPolicy[] }>('/api/v1/oidc/policies')).body.policies).toEqual([]);
  });
});
