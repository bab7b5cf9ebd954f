import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { editMavenSettings } from '../../client/package-managers/maven-settings.js';
import { gradleSnippet, mavenDistributionManagement } from '../../core/maven/build-snippets.js';
import { MAVEN_SERVER_ID, mavenSettingsXml, type MavenEndpoint } from '../../core/maven/settings-xml.js';
import type { EndpointInfo } from '../../core/protocols.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { MavenRepository } from '../../core/maven/maven-repository.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/maven` is its short alias. */
const MAVEN_PATH = '/artifactory/maven';

const mavenEndpoint = (endpoint: EndpointInfo): MavenEndpoint => ({ repositoryUrl: endpoint.repositoryUrl ?? '', serverId: endpoint.serverId ?? MAVEN_SERVER_ID });

/** Maven 2 repositories (mvn, Gradle): deploy, resolve, computed maven-metadata.xml and checksums. */
export const mavenProtocol: ProtocolDefinition<MavenRepository> = {
  id: 'maven',
  title: 'Maven',
  prefixes: [MAVEN_PATH, '/maven'],
  // `serverId` is the id settings.xml keeps the token under, and the repository's id.
  endpoint: { key: 'maven', build: (publicUrl) => ({ repositoryUrl: `${publicBase(publicUrl).base}${MAVEN_PATH}/`, serverId: MAVEN_SERVER_ID }) },
  snippets: [
    { key: 'mavenSettingsXml', build: (endpoint, username, secret) => mavenSettingsXml(mavenEndpoint(endpoint), { username, secret }) },
    { key: 'mavenPomDistributionManagement', build: (endpoint) => mavenDistributionManagement(mavenEndpoint(endpoint)) },
    { key: 'gradle', build: (endpoint, username, secret) => gradleSnippet(mavenEndpoint(endpoint), { username, secret }) },
  ],
  // Releases name Maven artifacts as groupId:artifactId and a version, as stored.
  artifact: { shape: 'package', repository: 'maven' },
  clientSetup: {
    tool: 'maven',
    configPath(env, projectDir) {
      if (projectDir === undefined) return join(env.home, '.m2', 'settings.xml');
      // A project keeps its own settings in .mvn/ (mvn -s .mvn/settings.xml).
      const dir = resolve(env.cwd, projectDir);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`project directory ${dir} does not exist`);
      return join(dir, '.mvn', 'settings.xml');
    },
    edit: (existing, endpoints, credential) => editMavenSettings(existing, endpoints.maven, credential.username, credential.secret),
  },
  service: async (deps) => {
    const m = await import('../../core/maven/maven-repository.js');
    return new m.MavenRepository(deps);
  },
  catalog: async (service) => (await import('../../core/packages/catalog/providers/maven.js')).mavenCatalogProvider(service),
  mount: async (app, deps) => (await import('./plugin.js')).mavenPlugin(app, deps),
  routes: async () => (await import('./routes.js')).MAVEN_ROUTES,
};
