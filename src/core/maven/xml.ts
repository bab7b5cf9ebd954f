import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { Errors } from '../errors.js';

/** Entities are never expanded (no billion laughs) and attributes are kept apart from elements. */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: false, parseTagValue: false, trimValues: true });

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/**
 * Parses an XML document a client sent, refusing anything that is not well-formed. `what` names the
 * document in the error. Returns the root element's name and content.
 */
export function parseXml(text: string, what: string): { root: string; node: XmlNode } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw Errors.validation(`${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(text) as XmlNode;
  } catch (error) {
    // The validator passes documents the parser then refuses (nesting deeper than its limit, a DOCTYPE
    // declaring an external entity): they are the client's malformed XML too, not our failure.
    throw Errors.validation(`${what} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#') && !k.startsWith('!'));
  const node = root === undefined ? undefined : doc[root];
  if (root === undefined || node === undefined) throw Errors.validation(`${what} has no root element`);
  return { root, node: typeof node === 'object' && !Array.isArray(node) ? node : {} };
}

/** A child element's text, when it is a single text element. */
export function childText(node: XmlNode, name: string): string | undefined {
  const value = node[name];
  return typeof value === 'string' ? value : undefined;
}

/** Serialises a document built as objects (never by concatenating strings), with the XML declaration. */
export function buildXml(doc: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${buildXmlFragment(doc)}`;
}

/** Elements to paste into a document (no XML declaration). */
export function buildXmlFragment(node: XmlNode): string {
  return builder.build(node) as string;
}
