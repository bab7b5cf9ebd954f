import { describe, expect, it } from 'vitest';
import { generateSecret } from '../core/tokens/secret.js';
import { redactString, redactValue } from './redact.js';

describe('log redaction', () => {
  const token = generateSecret('token');

  it('masks our secrets, Basic/Bearer credentials and URL user info wherever they appear', () => {
    const basic = Buffer.from(`ci:${token}`).toString('base64');
    expect(redactString(`GET /v2/ with ${token}`)).toBe('GET /v2/ with [REDACTED]');
    expect(redactString(`authorization: Basic ${basic}`)).toBe('authorization: Basic [REDACTED]');
    expect(redactString('authorization: bearer abc.def-ghi')).toBe('authorization: bearer [REDACTED]');
    expect(redactString('https://ci:hunter2@registry.example/simple/')).toBe('https://ci:[REDACTED]@registry.example/simple/');
    expect(redactString('nothing secret here')).toBe('nothing secret here');
    expect(redactString('GET /go/example.com/m/@v/list and /npm/@scope%2fpkg')).toBe('GET /go/example.com/m/@v/list and /npm/@scope%2fpkg');
    expect(redactString('see ci:hunter2@host and https://x.example/a//ci:hunter2@host')).toBe('see ci:hunter2@host and https://x.example/a//ci:[REDACTED]@host');
  });

  it('decodes percent-encoding before matching, so an encoded secret is masked too', () => {
    const encoded = encodeURIComponent(token).replace('_', '%5F');
    expect(redactString(`GET /npm/-/v1/login/done/x/${encoded}`)).toBe('GET /npm/-/v1/login/done/x/[REDACTED]');
    expect(redactString(`GET /x?t=${encodeURIComponent(encodeURIComponent(token.replace('_', '%5F')))}`)).not.toContain(token.slice(5, 20));
    expect(redactString('GET /v2/a%2Fb/tags/list')).toBe('GET /v2/a%2Fb/tags/list');
    expect(redactString('bad escape %E0%A4%A')).toBe('bad escape %E0%A4%A');
  });

  it('walks objects, arrays and errors without changing the original', () => {
    const value = { nested: { list: [`x ${token}`] }, n: 1, err: new Error(`bad token ${token}`) };
    const copy = redactValue(value) as typeof value;
    expect(JSON.stringify(copy)).not.toContain(token);
    expect(copy.err.message).toBe('bad token [REDACTED]');
    expect(copy.err.stack).not.toContain(token);
    expect(copy.n).toBe(1);
    expect(value.nested.list[0]).toContain(token);
  });
});
