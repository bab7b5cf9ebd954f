import type { FileEdit } from './docker-config.js';

/**
 * Sets this registry's entry in ~/.netrc (`machine <host> login <user> password <secret>`), which curl
 * (`curl -n`) and many download tools read. Other machines' entries stay as they are; an entry for the
 * same host, written on one line, is replaced.
 */
export function editNetrc(existing: string | null, host: string, username: string, secret: string): FileEdit {
  const entry = `machine ${host} login ${username} password ${secret}`;
  const lines = (existing ?? '').split('\n').filter((line, i, all) => !(i === all.length - 1 && line === ''));
  const notes: string[] = [];
  const kept = lines.filter((line) => {
    const same = line.trim().split(/\s+/)[0] === 'machine' && line.trim().split(/\s+/)[1] === host;
    if (same) notes.push(`replaced the previous entry for ${host}`);
    return !same;
  });
  return { content: `${[...kept, entry].join('\n')}\n`, fragment: `${entry}\n`, notes };
}
