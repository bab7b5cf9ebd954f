import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Issue 16: the token answer and GET /api/v1/endpoints carry Maven's settings.xml, pom and Gradle snippets and the generic curl line. */
describe('Maven, Gradle and generic-file snippets in the API answers', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('GET /api/v1/endpoints shows every snippet with placeholders, and no credential', async () => {
    const { status, body } = await admin.get<{ snippets: Record<string, string>; maven: { repositoryUrl: string } }>('/api/v1/endpoints');
    expect(status).toBe(200);
    const { snippets } = body;
    expect(snippets.mavenSettingsXml).toContain('<username>&lt;token username&gt;</username>');
    expect(snippets.mavenSettingsXml).toContain('<pluginRepository>');
    expect(snippets.mavenPomDistributionManagement).toContain(`<url>${body.maven.repositoryUrl}</url>`);
    expect(snippets.gradle).toContain(`url = uri("${body.maven.repositoryUrl}")`);
    expect(snippets.gradle).toContain('flyPassword=<token>');
    expect(snippets.genericCurl).toContain("curl -fu '<token username>:<token>'");
    expect(JSON.stringify(snippets)).not.toMatch(/flyr_/);
  });

  it('a new token’s answer carries them with its username and secret', async () => {
    const created = await admin.createToken({ name: 'gradle-ci', permission: 'read-write' });
    const { snippets } = created;
    expect(snippets.mavenSettingsXml).toContain(`<username>${created.username}</username>`);
    expect(snippets.mavenSettingsXml).toContain(`<password>${created.token}</password>`);
    expect(snippets.gradle).toContain(`flyUsername=${created.username}`);
    expect(snippets.gradle).toContain(`flyPassword=${created.token}`);
    expect(snippets.gradle).toMatch(/repositories \{\s*maven \{[\s\S]*credentials \{/);
    expect(snippets.mavenPomDistributionManagement).toMatch(/<distributionManagement>\s*<repository>\s*<id>fly<\/id>/);
    expect(snippets.genericCurl).toContain(`curl -fu '${created.username}:${created.token}'`);
  });
});
