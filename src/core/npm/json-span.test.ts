import { describe, expect, it } from 'vitest';
import { jsonValueText } from './json-span.js';

describe('jsonValueText', () => {
  const doc = '{ "name":"a", "versions" : {\n  "1.0.0":  {"name":"a","x":"q\\"}{[" ,"n":[1,{"b":2}],"t":true} ,"2.0.0":3},"_attachments":{"a-1.0.0.tgz":{"data":"AAAA"}} }';

  it('returns the exact text of a nested value, whitespace and escapes included', () => {
    expect(jsonValueText(doc, ['versions', '1.0.0'])).toBe('{"name":"a","x":"q\\"}{[" ,"n":[1,{"b":2}],"t":true}');
    expect(jsonValueText(doc, ['versions', '2.0.0'])).toBe('3');
    expect(jsonValueText(doc, ['name'])).toBe('"a"');
    expect(JSON.parse(jsonValueText(doc, ['versions']) ?? '')).toEqual(JSON.parse(doc).versions);
  });

  it('answers undefined for missing keys and non-objects', () => {
    expect(jsonValueText(doc, ['versions', '3.0.0'])).toBeUndefined();
    expect(jsonValueText(doc, ['name', 'x'])).toBeUndefined();
  });

  it('matches escaped keys by their decoded value and takes the last duplicate, like JSON.parse', () => {
    expect(jsonValueText('{"a\\u0062":1,"ab":[2]}', ['ab'])).toBe('[2]');
    expect(jsonValueText('{"k\\\\":"v\\\\"}', ['k\\'])).toBe('"v\\\\"');
  });
});
