import type { FileEdit } from './docker-config.js';
import { splitLines } from './npmrc.js';

/**
 * Puts this registry's credentials in .netrc (what `go` reads, GOAUTH=netrc): the entry for `machine`
 * is replaced, whether written on one line or across several; every other machine and `default` stays.
 */
export function editNetrc(existing: string | null, machine: string, username: string, secret: string): FileEdit {
  const line = `machine ${machine} login ${username} password ${secret}`;
  const out: string[] = [];
  const notes: string[] = [];
  let inOurs = false;
  for (const text of splitLines(existing)) {
    const words = text.trim().split(/\s+/);
    if (words[0] === 'machine' || words[0] === 'default' || words[0] === 'macdef') {
      inOurs = words[0] === 'machine' && words[1] === machine;
      if (inOurs) notes.push(`replaced the existing .netrc entry for ${machine}`);
    }
    if (!inOurs) out.push(text);
  }
  out.push(line);
  return { content: `${out.join('\n')}\n`, fragment: `${line}\n`, notes };
}
