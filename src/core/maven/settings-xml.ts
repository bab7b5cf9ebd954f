import { buildXml, type XmlNode } from './xml.js';

/** The id Maven matches a `<server>`'s credentials to a repository by, and the settings profile's id. */
export const MAVEN_SERVER_ID = 'fly';

export interface MavenCredential {
  username: string;
  secret: string;
}

/** Where Maven reaches this registry (from the public URL; GET /api/v1/endpoints carries it). */
export interface MavenEndpoint {
  repositoryUrl: string;
  serverId: string;
}

/**
 * The `<server>`, `<profile>` and `<activeProfile>` this registry needs in settings.xml: credentials under
 * the server id, the repository and plugin repository (releases and snapshots), and the deploy target as
 * the `altDeploymentRepository` property, so `mvn deploy` works without touching the pom.
 */
export function mavenSettingsElements(endpoint: MavenEndpoint, credential: MavenCredential): { server: XmlNode; profile: XmlNode; activeProfile: string } {
  const repository: XmlNode = {
    id: endpoint.serverId,
    url: endpoint.repositoryUrl,
    releases: { enabled: 'true' },
    snapshots: { enabled: 'true', updatePolicy: 'always' },
  };
  return {
    server: { id: endpoint.serverId, username: credential.username, password: credential.secret },
    profile: {
      id: endpoint.serverId,
      properties: { altDeploymentRepository: `${endpoint.serverId}::default::${endpoint.repositoryUrl}` },
      repositories: { repository },
      pluginRepositories: { pluginRepository: repository },
    },
    activeProfile: endpoint.serverId,
  };
}

/** A whole ~/.m2/settings.xml for one token, built as a document (never by concatenating strings). */
export function mavenSettingsXml(endpoint: MavenEndpoint, credential: MavenCredential): string {
  const { server, profile, activeProfile } = mavenSettingsElements(endpoint, credential);
  return buildXml({
    settings: {
      '@_xmlns': 'http://maven.apache.org/SETTINGS/1.2.0',
      servers: { server },
      profiles: { profile },
      activeProfiles: { activeProfile },
    },
  });
}
