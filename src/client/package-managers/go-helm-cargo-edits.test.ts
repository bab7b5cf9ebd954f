import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editCargoConfig } from './cargo-config.js';
import { editHelmRepositories } from './helm-repositories.js';
import { editNetrc } from './netrc.js';

describe('.netrc for go', () => {
  it('replaces only this machine’s entry, one-line or multi-line, and keeps the rest', () => {
    const existing = [
      'machine github.com login me password gh',
      'machine reg.example.com:8443',
      '  login old',
      '  password stale',
      'default login anon password x',
      '',
    ].join('\n');
    const edit = editNetrc(existing, 'reg.example.com:8443', 'ci-go', 'flyr_secret');
    expect(edit.content).toBe('machine github.com login me password gh\ndefault login anon password x\nmachine reg.example.com:8443 login ci-go password flyr_secret\n');
    expect(edit.notes).toEqual(['replaced the existing .netrc entry for reg.example.com:8443']);
    expect(editNetrc(null, 'h', 'u', 's').content).toBe('machine h login u password s\n');
  });
});

describe('cargo config.toml', () => {
  it('adds [registries.fly] and replaces only that table', () => {
    const existing = '[net]\ngit-fetch-with-cli = true\n\n[registries.fly]\nindex = "sparse+https://old/"\n\n[registries.other]\nindex = "sparse+https://other/"\n';
    const edit = editCargoConfig(existing, 'fly', 'sparse+https://reg/cargo/index/', 'flyr_x');
    expect(edit.content).toBe(
      '[net]\ngit-fetch-with-cli = true\n\n[registries.other]\nindex = "sparse+https://other/"\n\n' +
        '[registries.fly]\nindex = "sparse+https://reg/cargo/index/"\ncredential-provider = "cargo:token"\ntoken = "flyr_x"\n',
    );
    expect(edit.notes[0]).toBe('replaced the existing [registries.fly] table');
  });
});

describe('helm repositories.yaml', () => {
  it('adds or replaces the fly repository and keeps the others', () => {
    const existing = 'apiVersion: ""\ngenerated: "2020-01-01T00:00:00Z"\nrepositories:\n  # the public charts\n  - name: stable\n    url: https://charts.example.com\n  - name: fly\n    url: https://old\n';
    const edit = editHelmRepositories(existing, 'fly', 'https://reg/helm', 'u', 'flyr_y');
    const parsed = parse(edit.content) as { repositories: { name: string; url: string; password?: string }[] };
    expect(parsed.repositories.map((r) => [r.name, r.url])).toEqual([['stable', 'https://charts.example.com'], ['fly', 'https://reg/helm']]);
    expect(parsed.repositories[1]?.password).toBe('flyr_y');
    expect(edit.content).toContain('# the public charts');
    const fresh = parse(editHelmRepositories(null, 'fly', 'https://reg/helm', 'u', 's').content) as { repositories: unknown[] };
    expect(fresh.repositories).toHaveLength(1);
  });
});
