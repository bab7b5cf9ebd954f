import type { MavenRepository } from '../../../maven/maven-repository.js';
import type { CatalogProvider } from '../provider.js';
import { extensionKind, guardedAction, packageModelProvider } from './package-model.js';

/**
 * Maven in the Packages section: one entry per `groupId:artifactId` (the package's name), its versions
 * with their jars, poms and signatures. Deleting a version is Maven's own (audited) version delete.
 */
export function mavenCatalogProvider(maven: MavenRepository): CatalogProvider {
  return packageModelProvider({
    protocol: 'maven',
    label: 'Maven',
    kindOf: extensionKind,
    install: (coordinates, version) => `mvn dependency:get -Dartifact=${coordinates}:${version}`,
    actions: { delete: guardedAction('maven', 'delete', (p, name, { version }, ctx) => maven.hosted.deleteVersion(p, name, version, ctx)) },
  });
}
