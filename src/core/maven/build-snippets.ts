import type { MavenCredential, MavenEndpoint } from './settings-xml.js';
import { buildXmlFragment } from './xml.js';

/**
 * The pom's `<distributionManagement>` for deploying here (releases and snapshots), under the server id
 * whose credentials settings.xml holds. settings.xml alone also deploys (altDeploymentRepository); this is
 * for projects that name their deploy target in the pom.
 */
export function mavenDistributionManagement(endpoint: MavenEndpoint): string {
  const target = { id: endpoint.serverId, url: endpoint.repositoryUrl };
  return `<!-- pom.xml (credentials: the <server> with id "${endpoint.serverId}" in settings.xml) -->\n${buildXmlFragment({
    distributionManagement: { repository: target, snapshotRepository: target },
  })}`;
}

/**
 * Gradle (Kotlin DSL): resolve from this repository and publish to it with `maven-publish`. The token
 * goes into the user's gradle.properties, never into the build file a project commits.
 */
export function gradleSnippet(endpoint: MavenEndpoint, credential: MavenCredential): string {
  const name = endpoint.serverId;
  const repository = (indent: string) =>
    [
      `${indent}maven {`,
      `${indent}    name = "${name}"`,
      `${indent}    url = uri("${endpoint.repositoryUrl}")`,
      `${indent}    credentials {`,
      `${indent}        username = providers.gradleProperty("${name}Username").get()`,
      `${indent}        password = providers.gradleProperty("${name}Password").get()`,
      `${indent}    }`,
      `${indent}}`,
    ].join('\n');
  return [
    '# ~/.gradle/gradle.properties',
    `${name}Username=${credential.username}`,
    `${name}Password=${credential.secret}`,
    '',
    '// build.gradle.kts',
    'repositories {',
    repository('    '),
    '}',
    'publishing {',
    '    repositories {',
    repository('        '),
    '    }',
    '}',
    '',
  ].join('\n');
}
