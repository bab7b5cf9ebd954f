import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FileEdit } from './docker-config.js';

/**
 * A document as fast-xml-parser keeps it with `preserveOrder`: a list of nodes, each `{ tag: children }`
 * (plus `:@` for attributes), text as `{ '#text': … }`, comments as `{ '#comment': … }`. Keeping order and
 * comments is what lets a merge leave everything it does not own exactly where it was.
 */
type XmlNodeList = XmlOrderedNode[];
type XmlOrderedNode = { [tag: string]: XmlNodeList | string | Record<string, string> };

const options = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  commentPropName: '#comment',
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
} as const;
const parser = new XMLParser(options);
const builder = new XMLBuilder({ ...options, format: true, indentBy: '  ', suppressEmptyNode: false });

export interface MavenTarget {
  repositoryUrl: string;
  serverId: string;
}

const tagOf = (node: XmlOrderedNode) => Object.keys(node).find((k) => k !== ':@');
const children = (node: XmlOrderedNode): XmlNodeList => {
  const tag = tagOf(node);
  const value = tag === undefined ? undefined : node[tag];
  return Array.isArray(value) ? value : [];
};
const element = (tag: string, content: XmlNodeList | string, attributes?: Record<string, string>): XmlOrderedNode => {
  const node: XmlOrderedNode = { [tag]: typeof content === 'string' ? [{ '#text': content }] : content };
  if (attributes) node[':@'] = attributes;
  return node;
};
const textOf = (list: XmlNodeList, tag: string): string | undefined => {
  const found = list.find((n) => tagOf(n) === tag);
  const text = found && children(found).find((n) => '#text' in n);
  return text ? String(text['#text']) : undefined;
};

/** The child element `tag` of `parent`, created at the end when missing. */
function ensureChild(parent: XmlNodeList, tag: string): XmlNodeList {
  const found = parent.find((n) => tagOf(n) === tag);
  if (found) return children(found);
  const created = element(tag, []);
  parent.push(created);
  return children(created);
}

/** Replaces the element of `list` whose `<id>` is `id` (in place), or appends it. */
function upsertById(list: XmlNodeList, tag: string, id: string, replacement: XmlOrderedNode): boolean {
  const index = list.findIndex((n) => tagOf(n) === tag && textOf(children(n), 'id') === id);
  if (index >= 0) list.splice(index, 1, replacement);
  else list.push(replacement);
  return index >= 0;
}

function flyElements(target: MavenTarget, username: string, secret: string) {
  const repository = (tag: string) =>
    element(tag, [
      element('id', target.serverId),
      element('url', target.repositoryUrl),
      element('releases', [element('enabled', 'true')]),
      element('snapshots', [element('enabled', 'true'), element('updatePolicy', 'always')]),
    ]);
  return {
    server: element('server', [element('id', target.serverId), element('username', username), element('password', secret)]),
    profile: element('profile', [
      element('id', target.serverId),
      element('properties', [element('altDeploymentRepository', `${target.serverId}::default::${target.repositoryUrl}`)]),
      element('repositories', [repository('repository')]),
      element('pluginRepositories', [repository('pluginRepository')]),
    ]),
  };
}

/**
 * Merges this registry into a Maven settings.xml: the `<server>` holding the token (matched by id), a
 * profile with the repository, plugin repository and deploy target, and that profile made active.
 * Everything else (other servers, mirrors, proxies, comments) is kept. The file is parsed and rebuilt as
 * XML, never edited as text.
 */
export function editMavenSettings(existing: string | null, target: MavenTarget, username: string, secret: string): FileEdit {
  const notes: string[] = [];
  let doc: XmlNodeList;
  if (existing === null || existing.trim() === '') {
    doc = [element('?xml', [{ '#text': '' }], { '@_version': '1.0', '@_encoding': 'UTF-8' }), element('settings', [], { '@_xmlns': 'http://maven.apache.org/SETTINGS/1.2.0' })];
  } else {
    const valid = XMLValidator.validate(existing);
    if (valid !== true) throw new Error(`settings.xml is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}): fix or move it, then run setup again (it was left untouched)`);
    doc = parser.parse(existing) as XmlNodeList;
  }
  const root = doc.find((n) => tagOf(n) === 'settings');
  if (!root) throw new Error('settings.xml has no <settings> element: fix or move it, then run setup again (it was left untouched)');
  const settings = children(root);
  const { server, profile } = flyElements(target, username, secret);
  if (upsertById(ensureChild(settings, 'servers'), 'server', target.serverId, server)) notes.push(`replaced the previous <server> ${target.serverId}`);
  upsertById(ensureChild(settings, 'profiles'), 'profile', target.serverId, profile);
  const active = ensureChild(settings, 'activeProfiles');
  if (!active.some((n) => tagOf(n) === 'activeProfile' && textOf([n], 'activeProfile') === target.serverId)) active.push(element('activeProfile', target.serverId));
  if (settings.some((n) => tagOf(n) === 'mirrors' && children(n).some((m) => /^\s*(\*|external:\*)/.test(textOf(children(m), 'mirrorOf') ?? '')))) {
    notes.push(`a <mirror> for "*" takes every repository: add !${target.serverId} to its <mirrorOf> so Maven reaches this registry`);
  }
  const fragment = builder.build([element('servers', [server]), element('profiles', [profile]), element('activeProfiles', [element('activeProfile', target.serverId)])]) as string;
  return { content: (builder.build(doc) as string).replace(/^\s+/, ''), fragment, notes };
}
