import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { editMavenSettings } from '../../client/package-managers/maven-settings.js';
import { MAVEN_SERVER_ID, mavenSettingsXml } from '../../core/maven/settings-xml.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { MavenRepository } from '../../core/maven/maven-repository.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/maven` is its short alias. */
const MAVEN_PATH = '/artifactory/maven';

/** Maven 2 repositories (mvn, Gradle): deploy, resolve, computed maven-metadata.xml and checksums. */
export const mavenProtocol: ProtocolDefinition<MavenRepository> = {
  id: 'maven',
  title: 'Maven',
  prefixes: [MAVEN_PATH, '/maven'],
  // `serverId` is the id settings.xml keeps the token under, and the repository's id.
  endpoint: { key: 'maven', build: (publicUrl) => ({ repositoryUrl: `${publicBase(publicUrl).base}${MAVEN_PATH}/`, serverId: MAVEN_SERVER_ID }) },
  snippet: {
    key: 'mavenSettingsXml',
    build: (endpoint, username, secret) =>
      mavenSettingsXml({ repositoryUrl: endpoint.repositoryUrl ?? '', serverId: endpoint.serverId ?? MAVEN_SERVER_ID }, { username, secret }),
  },
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
  mount: async (app, deps) => (await import('./plugin.js')).mavenPlugin(app, deps),
};
