import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { runTool, type RunResult } from '../helpers/run-tool.js';
import { goTool } from '../helpers/tools.js';
import { parseJunit, type ConformanceCase } from './junit.js';

/**
 * The official OCI distribution-spec conformance suite (github.com/opencontainers/distribution-spec/conformance,
 * pinned in scripts/install-go-tools.sh) against a real server process, with a read & write token: pull, push,
 * content discovery (tag list, referrers) and content management (manifest, tag and blob deletes), cross-repository
 * mounts (from a named repository and anonymous), upload cancel, sha512 content and every kind of test data it has.
 */

/**
 * Cases the suite itself marks as skipped for this server, with why. Any other skip fails the test, so a
 * feature that stops working cannot hide as a skip.
 */
const ANONYMOUS_MOUNT =
  'A mount without `from` is optional (the spec: a registry MAY mount from any repository the client may read). ' +
  'Fly Registry answers 202 and the client uploads the blob; a bearer token names the repositories it may read, so it could not pick one anyway.';
const EXPECTED_SKIPS: Record<string, string> = {
  'OCI Conformance Test/sha256 blobs/mount anonymous/blob-mount-anonymous': ANONYMOUS_MOUNT,
  'OCI Conformance Test/sha512 blobs/mount anonymous/blob-mount-anonymous': ANONYMOUS_MOUNT,
};

describe('the OCI distribution-spec conformance suite', () => {
  let server: TestServer;
  let rw: CreatedToken;
  let work: string;
  let cases: ConformanceCase[];
  let suite: RunResult;

  beforeAll(async () => {
    const binary = goTool('conformance');
    server = await startServer();
    rw = await (await login(server)).createToken({ name: 'oci conformance', permission: 'read-write' });
    work = mkdtempSync(join(tmpdir(), 'flyreg-oci-conformance-'));
    suite = await runTool(binary, [], {
      cwd: work,
      timeoutMs: 10 * 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        // Everything is set here: the suite's configuration file (./oci-conformance.yaml) does not exist in `work`.
        OCI_RESULTS_DIR: join(work, 'results'),
        OCI_VERSION: '1.1',
        OCI_LOG: 'error',
        OCI_REGISTRY: server.host,
        OCI_TLS: 'disabled',
        OCI_REPO1: 'conformance/repo1',
        OCI_REPO2: 'conformance/repo2',
        OCI_USERNAME: rw.username,
        OCI_PASSWORD: rw.token,
        OCI_API_PULL: 'true',
        OCI_API_PUSH: 'true',
        OCI_API_BLOBS_DELETE: 'true',
        OCI_API_BLOBS_MOUNT_ANONYMOUS: 'true',
        OCI_API_BLOBS_UPLOAD_CANCEL: 'true',
        OCI_API_MANIFESTS_DELETE: 'true',
        OCI_API_TAGS_DELETE: 'true',
        OCI_API_TAGS_LIST: 'true',
        OCI_API_REFERRER: 'true',
      },
    });
    const report = join(work, 'results', 'junit.xml');
    // The suite exits 0 when it cannot even start (a bad setting): no report means it did not run.
    if (!existsSync(report)) throw new Error(`the conformance suite wrote no report:\n${suite.output}`);
    cases = parseJunit(readFileSync(report, 'utf8'));
  });

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ran the whole suite (and never printed the token)', () => {
    expect(cases.length, suite.output).toBeGreaterThan(500);
    expect(suite.output).not.toContain(rw.token);
  });

  it('passes every case', () => {
    const failed = cases.filter((c) => c.status === 'failure' || c.status === 'error').map((c) => `${c.name}: ${c.reason}`);
    expect(failed, `${failed.length} of ${cases.length} conformance cases failed`).toEqual([]);
    expect(suite.code, suite.output.slice(-4000)).toBe(0);
  });

  it('skips only the cases known not to apply', () => {
    const skipped = cases.filter((c) => c.status === 'skipped');
    expect(skipped.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED_SKIPS).sort());
    // The suite's own reason: the registry answered 202 (an upload) instead of mounting.
    for (const c of skipped) expect(c.reason).toMatch(/returned status 202, fell back to blob POST\+PUT/);
  });
});
