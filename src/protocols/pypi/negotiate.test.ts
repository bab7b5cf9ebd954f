import { describe, expect, it } from 'vitest';
import { negotiateSimpleFormat } from './negotiate.js';

describe('Simple API content negotiation', () => {
  const pick = (accept?: string) => negotiateSimpleFormat(accept)?.format ?? null;

  it('follows q-values, then specificity, then the client order', () => {
    expect(pick(undefined)).toBe('legacyHtml');
    expect(pick('application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01')).toBe('json');
    expect(pick('text/html, application/vnd.pypi.simple.v1+json')).toBe('legacyHtml');
    expect(pick('application/vnd.pypi.simple.v1+json, text/html')).toBe('json');
    expect(pick('*/*;q=0.1, application/vnd.pypi.simple.v1+json;q=0.2')).toBe('json');
    expect(pick('text/*')).toBe('legacyHtml');
    expect(pick('application/vnd.pypi.simple.latest+json')).toBeNull();
    expect(pick('*/*, text/html;q=0')).toBe('html');
    expect(pick('garbage')).toBeNull();
  });
});
