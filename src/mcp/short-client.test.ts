import { describe, expect, it } from 'vitest';
import { SHORT_CLIENT_LENGTH, shortClient } from './short-client.js';

describe('shortClient', () => {
  it('keeps a short agent as it is', () => {
    expect(shortClient('skopeo/1.13.3')).toBe('skopeo/1.13.3');
    expect(shortClient(null)).toBeNull();
  });

  it('keeps the first two product tokens of a long agent, marked as cut', () => {
    expect(shortClient('npm/10.8.2 node/v20.19.0 linux x64 workspaces/false ci/github-actions')).toBe('npm/10.8.2 node/v20.19.0…');
  });

  it('bounds one very long word', () => {
    const cut = shortClient('x'.repeat(256)) ?? '';
    expect(cut.length).toBe(SHORT_CLIENT_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });
});
