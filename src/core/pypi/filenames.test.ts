import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { parseDistributionFilename } from './filenames.js';
import { normalizeProjectName } from './names.js';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (isAppError(error) && error.code === 'validation') return error.message;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('distribution filenames', () => {
  it('normalises project names (PEP 503)', () => {
    expect(normalizeProjectName('Fly.Demo__x--Y')).toBe('fly-demo-x-y');
    // Every name of up to four characters from letters, digits and separators: as PEP 503's rule says.
    const alphabet = ['a', 'Z', '0', '-', '_', '.'];
    const names = [''];
    for (let length = 0; length < 4; length++) for (const name of names.filter((n) => n.length === length)) names.push(...alphabet.map((c) => name + c));
    for (const name of names) expect({ name, normal: normalizeProjectName(name) }).toEqual({ name, normal: name.replace(/[-_.]+/g, '-').toLowerCase() });
  });

  it('parses wheels and sdists and checks name and version', () => {
    expect(parseDistributionFilename('Fly_Demo-1.0rc1-1-py3-none-any.whl', 'fly.demo', '1.0-RC1')).toMatchObject({ kind: 'bdist_wheel', pythonTag: 'py3' });
    expect(parseDistributionFilename('my-pkg-1.0.post1.tar.gz', 'my_pkg', '1.0-1')).toMatchObject({ kind: 'sdist', name: 'my-pkg' });
    expect(refusal(() => parseDistributionFilename('other-1.0-py3-none-any.whl', 'mine', '1.0'))).toMatch(/for project other, not mine/);
    expect(refusal(() => parseDistributionFilename('mine-1.1.tar.gz', 'mine', '1.0'))).toMatch(/does not match project mine version 1.0/);
    expect(refusal(() => parseDistributionFilename('mine-1.0.exe', 'mine', '1.0'))).toMatch(/Unsupported file type/);
  });

  it('refuses anything that is not a plain file name', () => {
    for (const name of ['../mine-1.0.tar.gz', 'a/mine-1.0.tar.gz', 'mine-1.0.tar.gz\u0000', '.mine-1.0.tar.gz', 'mine..-1.0.tar.gz', '']) {
      expect(refusal(() => parseDistributionFilename(name, 'mine', '1.0'))).toMatch(/plain file name/);
    }
  });
});
