import { Errors } from '../errors.js';

/**
 * Core metadata (the METADATA file of a wheel, PKG-INFO of an sdist): RFC 822 style headers, then the
 * description as the body. This reads the fields the index and the JSON API show; the exact bytes are kept
 * separately and served as they are (PEP 658).
 */
export interface CoreMetadata {
  metadataVersion: string;
  name: string;
  version: string;
  summary: string | null;
  description: string | null;
  descriptionContentType: string | null;
  keywords: string | null;
  homePage: string | null;
  downloadUrl: string | null;
  author: string | null;
  authorEmail: string | null;
  maintainer: string | null;
  maintainerEmail: string | null;
  license: string | null;
  classifiers: string[];
  platforms: string[];
  requiresDist: string[];
  requiresPython: string | null;
  providesExtra: string[];
  /** `Label, URL` pairs from Project-URL, as a map. */
  projectUrls: Record<string, string>;
}

const MULTI = new Set(['classifier', 'platform', 'requires-dist', 'provides-extra', 'project-url']);

/** Header name → values, lowercase names, continuation lines joined. */
function readHeaders(text: string): { headers: Map<string, string[]>; body: string } {
  const headers = new Map<string, string[]>();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let current: { name: string; values: string[] } | null = null;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') break;
    if (/^[ \t]/.test(line) && current) {
      // A folded line continues the previous value (old-style descriptions use "        |" prefixes).
      const last = current.values.length - 1;
      current.values[last] = `${current.values[last]}\n${line.replace(/^ {7}\|/, '').replace(/^\s+/, '')}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw Errors.validation(`Core metadata line ${i + 1} is not a "Name: value" header`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = headers.get(name) ?? [];
    values.push(value);
    headers.set(name, values);
    current = { name, values };
  }
  return { headers, body: lines.slice(i + 1).join('\n') };
}

/** Parses core metadata bytes (UTF-8). Name, Version and Metadata-Version are required. */
export function parseCoreMetadata(bytes: Buffer): CoreMetadata {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const { headers, body } = readHeaders(text);
  const one = (name: string): string | null => {
    const values = headers.get(name);
    if (!values || values.length === 0) return null;
    if (values.length > 1 && !MULTI.has(name)) throw Errors.validation(`Core metadata has more than one ${name} header`);
    return values[0] || null;
  };
  const many = (name: string) => headers.get(name)?.filter((v) => v.length > 0) ?? [];
  const required = (name: string) => {
    const value = one(name);
    if (!value) throw Errors.validation(`Core metadata has no ${name} header`);
    return value;
  };
  const projectUrls: Record<string, string> = {};
  for (const entry of many('project-url')) {
    const comma = entry.indexOf(',');
    if (comma > 0) projectUrls[entry.slice(0, comma).trim()] = entry.slice(comma + 1).trim();
  }
  return {
    metadataVersion: required('metadata-version'),
    name: required('name'),
    version: required('version'),
    summary: one('summary'),
    description: body.trim() ? body : one('description'),
    descriptionContentType: one('description-content-type'),
    keywords: one('keywords'),
    homePage: one('home-page'),
    downloadUrl: one('download-url'),
    author: one('author'),
    authorEmail: one('author-email'),
    maintainer: one('maintainer'),
    maintainerEmail: one('maintainer-email'),
    license: one('license'),
    classifiers: many('classifier'),
    platforms: many('platform'),
    requiresDist: many('requires-dist'),
    requiresPython: one('requires-python'),
    providesExtra: many('provides-extra'),
    projectUrls,
  };
}
