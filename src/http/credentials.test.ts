import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAuthorization } from './credentials.js';

/** What a Basic header always read as: Buffer's lenient base64, then UTF-8. */
function bufferReading(value: string) {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

describe('parseAuthorization, Basic', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  it('reads every header as Buffer always read it: ASCII, UTF-8, base64url letters, no padding, stray characters', () => {
    const values = [
      b64('ci-abc123:flyr_0123456789abcdefghijABCDEFGHIJ_xyz'),
      b64('jürgen:pässword'),
      b64('user:pa:ss:word'),
      b64('nocolon'),
      b64(':'),
      b64('user:').replace(/=+$/, ''),
      b64('user:secret?>>').replace(/\+/g, '-').replace(/\//g, '_'),
      `${b64('us')} ${b64('er:x')}`,
      'not base64 at all!',
      '%%%%',
      '',
      '=',
      'YQ==YQ==',
      'Y W I 6 e A = =',
      'YWI6eA',
      'YToq=',
      'YTo',
      'YTo\tYg==',
      b64('\u0000:\u007f'),
      Buffer.from([0xff, 0x3a, 0xfe]).toString('base64'),
    ];
    for (let i = 0; i < 200; i++) values.push(randomBytes(i % 40).toString('base64'), b64(`u${i}:${randomBytes(i % 30).toString('latin1')}`));
    for (const value of values) expect({ value, read: parseAuthorization(`Basic ${value}`) }).toEqual({ value, read: bufferReading(value.trim()) });
  });
});
