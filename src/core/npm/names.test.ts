import { describe, expect, it } from 'vitest';
import { checkTag, isTarballFilenameOf, isValidPackageName, isValidVersion, tarballFilename } from './names.js';

describe('npm names', () => {
  it.each(['left-pad', '@acme/utils', 'a', 'x.js', 'under_score', '@a-b/c.d', 'a'.repeat(214)])('accepts %s', (name) => {
    expect(isValidPackageName(name)).toBe(true);
  });

  it.each(['', 'Upper', '.hidden', '_private', '../etc', '@acme/../x', '@acme/', '@/x', 'a/b', 'sp ace', 'node_modules', 'a'.repeat(215), 'x~y', '@acme/a/b', 'é'])(
    'refuses %j',
    (name) => {
      expect(isValidPackageName(name)).toBe(false);
    },
  );

  it('checks versions and tags', () => {
    expect(isValidVersion('1.2.3-beta.1+build.5')).toBe(true);
    expect(isValidVersion('01.2.3')).toBe(false);
    expect(isValidVersion('1.2')).toBe(false);
    expect(() => checkTag('next')).not.toThrow();
    expect(() => checkTag('v1')).toThrow(/dist-tag/);
    expect(() => checkTag('1.x')).toThrow(/dist-tag/);
  });

  it('derives and recognises tarball filenames', () => {
    expect(tarballFilename('@acme/utils', '1.0.0')).toBe('utils-1.0.0.tgz');
    expect(isTarballFilenameOf('@acme/utils', 'utils-1.0.0.tgz')).toBe(true);
    expect(isTarballFilenameOf('utils', 'utils-1.0.0.tgz/../x.tgz')).toBe(false);
    expect(isTarballFilenameOf('utils', 'other-1.0.0.tgz')).toBe(false);
    expect(isTarballFilenameOf('utils', 'utils-1.0.0.tar')).toBe(false);
  });
});
