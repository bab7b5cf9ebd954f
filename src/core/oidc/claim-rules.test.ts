import { describe, expect, it } from 'vitest';
import { brokenRule, globMatches } from './claim-rules.js';

describe('claim rules', () => {
  it('matches exact values and `*` globs', () => {
    expect(globMatches('refs/heads/main', 'refs/heads/main')).toBe(true);
    expect(globMatches('refs/heads/main', 'refs/heads/main2')).toBe(false);
    expect(globMatches('refs/tags/v*', 'refs/tags/v1.2.0')).toBe(true);
    expect(globMatches('refs/tags/v*', 'refs/heads/v1')).toBe(false);
    expect(globMatches('*/shop', 'acme/shop')).toBe(true);
    expect(globMatches('a*b*c', 'abc')).toBe(true);
    expect(globMatches('a*b*c', 'acb')).toBe(false);
    expect(globMatches('ab*ba', 'aba')).toBe(false);
  });

  it('names the first broken rule, and treats a missing claim as broken', () => {
    const rules = [
      { claim: 'repository', values: ['acme/shop'] },
      { claim: 'ref', values: ['refs/heads/main', 'refs/tags/v*'] },
    ];
    expect(brokenRule(rules, { repository: 'acme/shop', ref: 'refs/tags/v2' })).toBeNull();
    expect(brokenRule(rules, { repository: 'acme/shop', ref: 'refs/heads/dev' })).toBe(
      'claim ref is "refs/heads/dev", not "refs/heads/main" or "refs/tags/v*"',
    );
    expect(brokenRule(rules, { ref: 'refs/heads/main' })).toBe('claim repository is missing');
    expect(brokenRule([{ claim: 'run_attempt', values: ['1'] }], { run_attempt: 1 })).toBeNull();
  });
});
