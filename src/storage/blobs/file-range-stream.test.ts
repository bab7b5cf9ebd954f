import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished, PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRangeStream } from './file-range-stream.js';

const MiB = 1 << 20;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FileRangeStream', () => {
  let dir: string;
  let file: string;
  // Several 1 MiB slices and a ragged tail, so buffers are reused and the last slice is short.
  const content = randomBytes(5 * MiB + 12_345);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fly-range-stream-'));
    file = path.join(dir, 'blob');
    await writeFile(file, content);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const streamOf = async (range = { start: 0, end: content.length - 1 }, at = file) => new FileRangeStream(await open(at, 'r'), range);

  /** A server whose every response is `stream()` piped into it; `served` holds the streams it sent. */
  async function serve(stream: () => Promise<FileRangeStream>): Promise<{ url: string; served: FileRangeStream[]; close: () => void }> {
    const served: FileRangeStream[] = [];
    const server: Server = createServer((_req, res) => {
      void stream().then((s) => {
        served.push(s);
        res.writeHead(200);
        // As Fastify does: a source that stops before the end takes the response down with it.
        s.on('close', () => {
          if (!res.writableEnded) res.destroy();
        });
        s.pipe(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/`, served, close: () => server.close() };
  }

  /** GETs the URL; `slow` pauses the client after each chunk, so the server's socket backs up. */
  function download(url: string, slow = false): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      request(url, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (slow) {
            res.pause();
            setTimeout(() => res.resume(), 1);
          }
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  }

  it('pipes into an HTTP response through its reused buffers, byte-exact even for a client that reads slowly', async () => {
    const server = await serve(() => streamOf());
    try {
      expect((await download(server.url, true)).equals(content)).toBe(true);
      expect((await download(server.url)).equals(content)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('pipes an inclusive byte range', async () => {
    const range = { start: MiB - 7, end: 3 * MiB + 100 };
    const server = await serve(() => streamOf(range));
    try {
      expect((await download(server.url, true)).equals(content.subarray(range.start, range.end + 1))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('gives any other destination fresh buffers: a PassThrough read late still holds every byte', async () => {
    const through = new PassThrough({ highWaterMark: 64 * MiB });
    (await streamOf()).pipe(through);
    await new Promise((resolve) => through.on('finish', resolve));
    await pause(20);
    const chunks: Buffer[] = [];
    for await (const chunk of through) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it('hands a reader fresh buffers it may keep', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of await streamOf()) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it('pipes and reads an empty blob as an empty stream', async () => {
    const empty = path.join(dir, 'empty');
    await writeFile(empty, '');
    const server = await serve(() => streamOf({ start: 0, end: -1 }, empty));
    try {
      expect((await download(server.url)).length).toBe(0);
    } finally {
      server.close();
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await streamOf({ start: 0, end: -1 }, empty)) chunks.push(chunk as Buffer);
    expect(chunks).toEqual([]);
  });

  it('stops reading and closes the file when the client goes away mid-download', async () => {
    const handles: Array<{ fd: number }> = [];
    const server = await serve(async () => {
      const handle = await open(file, 'r');
      handles.push(handle);
      return new FileRangeStream(handle, { start: 0, end: content.length - 1 });
    });
    try {
      await new Promise<void>((resolve) => {
        const req = request(server.url, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.end();
      });
      const [stream] = server.served;
      if (stream && !stream.closed) await new Promise((resolve) => stream.on('close', resolve));
      expect(handles[0]?.fd).toBe(-1);
    } finally {
      server.close();
    }
  });

  it('stops and closes the file when destroyed mid-pipe, as an aborted request does', async () => {
    const handles: Array<{ fd: number }> = [];
    const server = await serve(async () => {
      const handle = await open(file, 'r');
      handles.push(handle);
      const stream = new FileRangeStream(handle, { start: 0, end: content.length - 1 });
      setTimeout(() => stream.destroy(), 2);
      return stream;
    });
    try {
      const received = await download(server.url, true).catch(() => Buffer.alloc(0));
      expect(received.length).toBeLessThan(content.length);
      const [stream] = server.served;
      if (stream && !stream.closed) await new Promise((resolve) => stream.on('close', resolve));
      expect(handles[0]?.fd).toBe(-1);
    } finally {
      server.close();
    }
  });

  it('reports a file shorter than its range as an error', async () => {
    const stream = await streamOf({ start: 0, end: content.length + MiB });
    stream.resume();
    const error = await new Promise<Error | null | undefined>((resolve) => finished(stream, resolve));
    expect(error?.message).toMatch(/file ended .* before the range/);
  });
});
