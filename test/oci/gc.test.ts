import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedToken } from '../helpers/api.js';
import { blobStored, runGc } from '../helpers/gc.js';
import type { TestServer } from '../helpers/server.js';
import { pushBlob, pushImage } from './helpers/push.js';
import { reg, startWithWriter } from './helpers/registry.js';

describe('flyreg gc beside a running server', () => {
  let server: TestServer;
  let rw: CreatedToken;
  let auth: string;

  beforeAll(async () => {
    ({ server, rw, auth } = await startWithWriter());
  });
  afterAll(() => server?.stop());

  const gc = (...args: string[]) => runGc(server, ...args);

  it('removes only unreferenced blobs past the grace period, and abandoned uploads', async () => {
    const kept = await pushImage(server, rw, 'gc/app', 'kept', { layers: 2 });
    const dropped = await pushImage(server, rw, 'gc/app', 'dropped', { layers: 2 });
    await reg(server, `/v2/gc/app/manifests/${dropped.digest}`, { method: 'DELETE', auth });
    const orphan = await pushBlob(server, rw, 'gc/app', randomBytes(4096));
    const upload = await reg(server, '/v2/gc/app/blobs/uploads/', { method: 'POST', auth });
    const location = upload.headers.get('location') as string;
    await reg(server, location, { method: 'PATCH', auth, body: randomBytes(1000) });
    for (const digest of [...kept.blobs, ...dropped.blobs, orphan]) expect(blobStored(server, digest), digest).toBe(true);

    // A dry run reports the dropped image's config, layers and manifest bytes, and the orphan.
    const dry = await gc('--dry-run', '--grace-seconds', '0');
    expect(dry).toMatch(/Would remove 5 blob\(s\)/);
    // Within the default grace period (an hour) nothing goes: these were all touched just now.
    expect(await gc()).toMatch(/Removed 0 blob\(s\) \(0 bytes\) and 0 abandoned upload\(s\)/);
    for (const digest of [...dropped.blobs, orphan]) expect(blobStored(server, digest)).toBe(true);

    await new Promise((r) => setTimeout(r, 1100));
    const out = await gc('--grace-seconds', '1');
    // The dropped image's config, two layers and manifest bytes, and the orphan; the open upload.
    expect(out).toMatch(/Removed 5 blob\(s\) \(\d+ bytes\) and 1 abandoned upload\(s\)/);
    for (const digest of [...dropped.blobs, orphan, dropped.digest]) expect(blobStored(server, digest), digest).toBe(false);
    expect((await reg(server, `/v2/gc/app/blobs/${orphan}`, { method: 'HEAD', auth })).status).toBe(404);
    expect((await reg(server, location, { auth })).status).toBe(404);

    // Everything the remaining manifest references is still served.
    expect((await reg(server, '/v2/gc/app/manifests/kept', { auth })).status).toBe(200);
    for (const digest of kept.blobs) {
      const res = await reg(server, `/v2/gc/app/blobs/${digest}`, { auth });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    // A re-push of a collected blob works (the registry recreates its row and bytes).
    const again = await pushImage(server, rw, 'gc/app', 'again');
    expect((await reg(server, `/v2/gc/app/manifests/${again.digest}`, { auth })).status).toBe(200);
  });
});
