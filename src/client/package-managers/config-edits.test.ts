import { describe, expect, it } from 'vitest';
import { editDockerConfig } from './docker-config.js';
import { editNpmrc } from './npmrc.js';
import { editPipConf } from './pip-conf.js';
import { AGE_GATE_NOTE, editYarnrc, usesYarnBerry } from './yarnrc.js';

const REGISTRY = 'https://fly.example/artifactory/api/npm/npm/';
const AUTH_KEY = '//fly.example/artifactory/api/npm/npm/';

describe('editNpmrc', () => {
  it('adds the registry and auth lines to an empty or missing file', () => {
    expect(editNpmrc(null, REGISTRY, AUTH_KEY, 'flyr_x').content).toBe(`registry=${REGISTRY}\n${AUTH_KEY}:_authToken=flyr_x\n${AUTH_KEY}:always-auth=true\n`);
    expect(editNpmrc('', REGISTRY, AUTH_KEY, 'flyr_x').notes).toEqual([]);
  });

  it("replaces the default registry in place and every key of this registry's auth, keeping the rest", () => {
    const before = ['a=1', 'registry = https://registry.npmjs.org/', `${AUTH_KEY}:_authToken=old`, `${AUTH_KEY}:always-auth=true`, '@s:registry=https://s/', 'b=2'].join('\r\n');
    const edit = editNpmrc(before, REGISTRY, AUTH_KEY, 'flyr_new');
    expect(edit.content).toBe(['a=1', `registry=${REGISTRY}`, '@s:registry=https://s/', 'b=2', `${AUTH_KEY}:_authToken=flyr_new`, `${AUTH_KEY}:always-auth=true`, ''].join('\n'));
    expect(edit.notes).toEqual([`replaced the default registry https://registry.npmjs.org/ with ${REGISTRY}`]);
  });

  it('is idempotent and says nothing when the registry was already ours', () => {
    const once = editNpmrc('x=1\n', REGISTRY, AUTH_KEY, 'flyr_1').content;
    const twice = editNpmrc(once, REGISTRY, AUTH_KEY, 'flyr_2');
    expect(twice.content).toBe(once.replace('flyr_1', 'flyr_2'));
    expect(twice.notes).toEqual([]);
  });
});

describe('editYarnrc', () => {
  it('sets the registry, token, npmAlwaysAuth and (for http) the host allowance, keeping other settings and comments', () => {
    const before = ['# project settings', 'nodeLinker: node-modules', 'npmRegistryServer: "https://registry.yarnpkg.com"', 'unsafeHttpWhitelist:', '  - "old.example"', 'enableTelemetry: false'].join('\n');
    const edit = editYarnrc(before, 'http://fly.example:8080/npm/', 'flyr_t');
    expect(edit.content).toBe(
      [
        '# project settings',
        'nodeLinker: node-modules',
        'enableTelemetry: false',
        'npmRegistryServer: "http://fly.example:8080/npm/"',
        'npmAuthToken: "flyr_t"',
        'npmAlwaysAuth: true',
        'unsafeHttpWhitelist:',
        '  - "fly.example"',
        '',
      ].join('\n'),
    );
    expect(edit.notes).toEqual(['replaced the registry settings of .yarnrc.yml', AGE_GATE_NOTE]);
    expect(editYarnrc(null, 'https://fly.example/npm/', 'flyr_t').content).not.toContain('unsafeHttpWhitelist');
  });

  it('tells a Yarn 2+ project by its packageManager field or its .yarnrc.yml', () => {
    expect(usesYarnBerry('{"packageManager":"yarn@4.18.1"}', false)).toBe(true);
    expect(usesYarnBerry('{"packageManager":"yarn@1.22.22"}', false)).toBe(false);
    expect(usesYarnBerry('{}', true)).toBe(true);
    expect(usesYarnBerry(null, false)).toBe(false);
  });
});

describe('editPipConf', () => {
  const URL_ = 'http://u:flyr_s@fly.example/simple';

  it('creates [global] when the file has none, after the other sections', () => {
    expect(editPipConf(null, URL_).content).toBe(`[global]\nindex-url = ${URL_}\n`);
    expect(editPipConf('[install]\nuser = true\n', URL_).content).toBe(`[install]\nuser = true\n\n[global]\nindex-url = ${URL_}\n`);
  });

  it('adds the key inside [global], before the blank lines that end it', () => {
    const edit = editPipConf('[global]\ntimeout = 5\n\n[install]\nuser = true\n', URL_);
    expect(edit.content).toBe(`[global]\ntimeout = 5\nindex-url = ${URL_}\n\n[install]\nuser = true\n`);
  });

  it('replaces index-url or index_url with its continuation lines, and only in [global]', () => {
    const before = '# mine\n[global]\nindex_url = https://old/simple\n  https://continued/\ntimeout = 5\n[download]\nindex-url = https://other/simple\n';
    const edit = editPipConf(before, URL_);
    expect(edit.content).toBe(`# mine\n[global]\nindex-url = ${URL_}\ntimeout = 5\n[download]\nindex-url = https://other/simple\n`);
    expect(edit.notes).toEqual(['replaced the previous index-url in [global]', '[download] sets its own index-url, which pip uses instead for that command']);
  });
});

describe('editDockerConfig', () => {
  it('sets one auths entry and keeps everything else', () => {
    const before = JSON.stringify({ auths: { other: { auth: 'b3RoZXI=' } }, credsStore: 'desktop', experimental: 'enabled' });
    const edit = editDockerConfig(before, 'fly.example', 'u', 'flyr_s');
    const after = JSON.parse(edit.content) as Record<string, unknown>;
    expect(after).toEqual({
      auths: { other: { auth: 'b3RoZXI=' }, 'fly.example': { auth: Buffer.from('u:flyr_s').toString('base64') } },
      credsStore: 'desktop',
      experimental: 'enabled',
    });
    expect(edit.notes[0]).toContain('credsStore "desktop"');
  });

  it('refuses a file that is not a JSON object rather than overwrite it', () => {
    expect(() => editDockerConfig('[1]', 'fly.example', 'u', 's')).toThrow(/not a JSON object/);
    expect(() => editDockerConfig('{', 'fly.example', 'u', 's')).toThrow(/not valid JSON/);
  });
});
