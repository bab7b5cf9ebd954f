import type { FileEdit } from './docker-config.js';
import { splitLines } from './npmrc.js';

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
const INDEX_URL_KEY = /^(index[-_]url)\s*[=:]/i;

/**
 * Sets `index-url` in pip.conf's `[global]` section. Other sections, keys and comments stay; an existing
 * index-url (with any continuation lines) is replaced in place.
 */
export function editPipConf(existing: string | null, indexUrl: string): FileEdit {
  const keyLine = `index-url = ${indexUrl}`;
  const lines = splitLines(existing);
  const out: string[] = [];
  const notes: string[] = [];
  let section: string | null = null;
  let placed = false;
  let skippingContinuation = false;
  for (const line of lines) {
    // An indented non-empty line continues the previous key's value (configparser's rule).
    if (skippingContinuation && /^\s+\S/.test(line)) continue;
    skippingContinuation = false;
    const header = SECTION.exec(line);
    if (header) {
      if (section === 'global' && !placed) {
        insertBeforeTrailingBlanks(out, keyLine);
        placed = true;
      }
      section = (header[1] ?? '').trim();
      out.push(line);
      continue;
    }
    if (section === 'global' && INDEX_URL_KEY.test(line.trim()) && !/^\s/.test(line)) {
      if (!placed) {
        out.push(keyLine);
        placed = true;
        notes.push('replaced the previous index-url in [global]');
      }
      skippingContinuation = true;
      continue;
    }
    if (section !== null && section !== 'global' && INDEX_URL_KEY.test(line)) {
      notes.push(`[${section}] sets its own index-url, which pip uses instead for that command`);
    }
    out.push(line);
  }
  if (!placed) {
    if (section === 'global') out.push(keyLine);
    else {
      if (out.length > 0 && out[out.length - 1]?.trim() !== '') out.push('');
      out.push('[global]', keyLine);
    }
  }
  return { content: `${out.join('\n')}\n`, fragment: `[global]\n${keyLine}\n`, notes };
}

/** Keeps a key inside its section rather than after the blank lines that separate it from the next. */
function insertBeforeTrailingBlanks(out: string[], line: string): void {
  let at = out.length;
  while (at > 0 && out[at - 1]?.trim() === '') at--;
  out.splice(at, 0, line);
}
