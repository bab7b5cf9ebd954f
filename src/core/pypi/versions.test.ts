import { describe, expect, it } from 'vitest';
import { normalizeVersion, sortVersions } from './versions.js';

describe('PEP 440 versions', () => {
  it('normalises alternative spellings', () => {
    expect(normalizeVersion('V1.0-RC.1')).toBe('1.0rc1');
    expect(normalizeVersion('1.0alpha')).toBe('1.0a0');
    expect(normalizeVersion('1.0-1')).toBe('1.0.post1');
    expect(normalizeVersion('1.0.dev')).toBe('1.0.dev0');
    expect(normalizeVersion('1!2.0+Ubuntu-1')).toBe('1!2.0+ubuntu.1');
    expect(normalizeVersion('1.0_preview_2')).toBe('1.0rc2');
    expect(normalizeVersion('not a version')).toBeNull();
    expect(normalizeVersion('1.0/../x')).toBeNull();
  });

  it('orders versions as PEP 440 does', () => {
    const ordered = ['1.0.dev1', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0+local.1', '1.0.post1.dev1', '1.0.post1', '1.1', '1.10', '2!0.1'];
    const shuffled = [...ordered].reverse();
    expect(sortVersions(shuffled)).toEqual(ordered);
    expect(sortVersions(['1.0.0', '0.9'])).toEqual(['0.9', '1.0.0']);
  });
});
