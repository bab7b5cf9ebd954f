import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { editMavenSettings } from './maven-settings.js';

const target = { repositoryUrl: 'https://reg.example/artifactory/maven/', serverId: 'fly' };
const parse = (text: string) => new XMLParser({ isArray: (name) => ['server', 'profile', 'activeProfile', 'mirror'].includes(name) }).parse(text) as {
  settings: {
    servers: { server: { id: string; username?: string; password?: string }[] };
    profiles: { profile: { id: string; repositories?: { repository: { url: string } } }[] };
    activeProfiles: { activeProfile: string[] };
    mirrors?: { mirror: { id: string }[] };
    localRepository?: string;
  };
};

describe('editMavenSettings', () => {
  it('writes a whole settings.xml when there is none', () => {
    const edit = editMavenSettings(null, target, 'ci-bot', 'flyr_secret');
    const doc = parse(edit.content).settings;
    expect(doc.servers.server).toEqual([{ id: 'fly', username: 'ci-bot', password: 'flyr_secret' }]);
    expect(doc.profiles.profile[0]?.repositories?.repository.url).toBe(target.repositoryUrl);
    expect(doc.activeProfiles.activeProfile).toEqual(['fly']);
    expect(edit.content.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  it('keeps everything else (servers, mirrors, comments, local repository) and replaces its own server in place', () => {
    const existing = `<?xml version="1.0"?>
<!-- team settings -->
<settings>
  <localRepository>/data/m2</localRepository>
  <servers>
    <server><id>corp</id><username>me</username><password>p&amp;w</password></server>
    <server><id>fly</id><username>old</username><password>old-secret</password></server>
  </servers>
  <mirrors><mirror><id>corp-mirror</id><mirrorOf>*</mirrorOf><url>https://corp/</url></mirror></mirrors>
  <activeProfiles><activeProfile>fly</activeProfile></activeProfiles>
</settings>
`;
    const edit = editMavenSettings(existing, target, 'new-user', 'flyr_new');
    const doc = parse(edit.content).settings;
    expect(doc.localRepository).toBe('/data/m2');
    expect(doc.servers.server.map((s) => s.id)).toEqual(['corp', 'fly']);
    expect(doc.servers.server[1]).toEqual({ id: 'fly', username: 'new-user', password: 'flyr_new' });
    expect(edit.content).toContain('p&amp;w');
    expect(edit.content).toContain('<!-- team settings -->');
    expect(doc.mirrors?.mirror.map((m) => m.id)).toEqual(['corp-mirror']);
    expect(doc.activeProfiles.activeProfile).toEqual(['fly']);
    expect(edit.notes.join(' ')).toContain('replaced the previous <server> fly');
    expect(edit.notes.join(' ')).toContain('!fly');
    expect(edit.content).not.toContain('old-secret');
  });

  it('refuses a file that is not XML, leaving it alone', () => {
    expect(() => editMavenSettings('<settings><servers>', target, 'u', 's')).toThrow(/not well-formed XML/);
    expect(() => editMavenSettings('<project/>', target, 'u', 's')).toThrow(/no <settings> element/);
  });
});
