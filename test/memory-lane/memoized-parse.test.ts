import { describe, expect, it } from 'vitest';
import { memoizedParse } from '../../src/protocols/kit/memoized-parse.js';
import { parseMavenPath } from '../../src/core/maven/layout.js';

describe('memoizedParse (the Maven and Go routes parse a path text once)', () => {
  it('answers a text it saw with the same parse, frozen through and through so no request changes the next one', () => {
    let calls = 0;
    const parse = memoizedParse((text: string) => {
      calls++;
      return parseMavenPath(text);
    });
    const first = parse('com/example/lib/1.0/lib-1.0.jar.sha1');
    expect(parse('com/example/lib/1.0/lib-1.0.jar.sha1')).toBe(first);
    expect(calls).toBe(1);
    expect(first).toMatchObject({ kind: 'checksum', algorithm: 'sha1', of: { kind: 'file', artifactId: 'lib', version: '1.0' } });
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as { of: { version: string } }).of.version = '2.0';
    }).toThrow(TypeError);
    const directory = parse('com/example/');
    expect(() => (directory as { segments: string[] }).segments.push('x')).toThrow(TypeError);
  });

  it('does not remember a refusal: a malformed path is refused afresh each time', () => {
    let calls = 0;
    const parse = memoizedParse((text: string) => {
      calls++;
      return parseMavenPath(text);
    });
    expect(() => parse('com/../etc/passwd')).toThrow(/Invalid path segment/);
    expect(() => parse('com/../etc/passwd')).toThrow(/Invalid path segment/);
    expect(calls).toBe(2);
  });

  it('remembers at most 256 texts, and none longer than 1024 characters', () => {
    let calls = 0;
    const parse = memoizedParse((text: string) => {
      calls++;
      return { text };
    });
    for (let i = 0; i < 256; i++) parse(`p${i}`);
    parse('p0');
    expect(calls).toBe(256);
    parse('p256'); // the 257th text: the memory starts afresh with it
    parse('p0');
    expect(calls).toBe(258);
    const long = 'x'.repeat(1025);
    parse(long);
    parse(long);
    expect(calls).toBe(260);
  });
});
