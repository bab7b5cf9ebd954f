import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRangeStream } from './file-range-stream.js';

const MiB = 1 << 20;

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

  const streamOf = async (range = { start: 0, end: content.length - 1 }) => new FileRangeStream(await open(file, 'r'), range);

  /**
   * A destination that acknowledges each write late (as a socket does under load) and checks, at that
   * moment, that the chunk it was handed still holds the bytes it had when written: a buffer reused
   * before its write callback would fail here.
   */
  function slowSink(): { sink: Writable; received: () => Buffer; overwritten: () => number } {
    const copies: Buffer[] = [];
    let overwritten = 0;
    const sink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        const copy = Buffer.from(chunk);
        copies.push(copy);
        setTimeout(() => {
          if (!chunk.equals(copy)) overwritten++;
          callback();
        }, 2);
      },
    });
    return { sink, received: () => Buffer.concat(copies), overwritten: () => overwritten };
  }

  it('pipes the whole file through reused buffers without touching a chunk before its write completes', async () => {
    const stream = await streamOf();
    const { sink, received, overwritten } = slowSink();
    stream.pipe(sink);
    await Promise.all([new Promise((resolve) => sink.on('finish', resolve)), new Promise((resolve) => stream.on('end', resolve))]);
    expect(received().equals(content)).toBe(true);
    expect(overwritten()).toBe(0);
    await new Promise((resolve) => stream.on('close', resolve));
  });

  it('pipes an inclusive byte range', async () => {
    const range = { start: MiB - 7, end: 3 * MiB + 100 };
    const stream = await streamOf(range);
    const { sink, received } = slowSink();
    stream.pipe(sink);
    await new Promise((resolve) => sink.on('finish', resolve));
    expect(received().equals(content.subarray(range.start, range.end + 1))).toBe(true);
  });

  it('hands a reader fresh buffers it may keep', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of await streamOf()) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it('stops reading and closes the file when the destination goes away', async () => {
    const handle = await open(file, 'r');
    const stream = new FileRangeStream(handle, { start: 0, end: content.length - 1 });
    let writes = 0;
    const sink = new Writable({
      write(_chunk, _encoding, callback) {
        if (++writes === 2) sink.destroy();
        else callback();
      },
    });
    stream.pipe(sink);
    await new Promise((resolve) => stream.on('close', resolve));
    expect(writes).toBe(2);
    expect(handle.fd).toBe(-1);
  });

  it('stops and closes the file when destroyed mid-pipe, as an aborted request does', async () => {
    const handle = await open(file, 'r');
    const stream = new FileRangeStream(handle, { start: 0, end: content.length - 1 });
    const { sink } = slowSink();
    stream.pipe(sink);
    await new Promise((resolve) => setTimeout(resolve, 3));
    stream.destroy();
    await new Promise((resolve) => stream.on('close', resolve));
    expect(handle.fd).toBe(-1);
    expect(sink.writableFinished).toBe(false);
  });

  it('pipes and reads an empty blob as an empty stream', async () => {
    const empty = path.join(dir, 'empty');
    await writeFile(empty, '');
    const piped = new FileRangeStream(await open(empty, 'r'), { start: 0, end: -1 });
    const { sink, received } = slowSink();
    piped.pipe(sink);
    await new Promise((resolve) => sink.on('finish', resolve));
    expect(received().length).toBe(0);
    const chunks: Buffer[] = [];
    for await (const chunk of new FileRangeStream(await open(empty, 'r'), { start: 0, end: -1 })) chunks.push(chunk as Buffer);
    expect(chunks).toEqual([]);
  });

  it('reports a file shorter than its range as an error', async () => {
    const stream = await streamOf({ start: 0, end: content.length + MiB });
    const { sink } = slowSink();
    stream.pipe(sink);
    const error = await new Promise<Error | null | undefined>((resolve) => finished(stream, resolve));
    expect(error?.message).toMatch(/file ended .* before the range/);
  });

  it('serves an HTTP response byte-exact', async () => {
    const server = createServer((_req, res) => {
      void streamOf().then((stream) => {
        res.writeHead(200, { 'content-length': content.length });
        stream.pipe(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<Buffer>((resolve, reject) => {
        request(`http://127.0.0.1:${port}/`, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
          .on('error', reject)
          .end();
      });
      expect(body.equals(content)).toBe(true);
    } finally {
      server.close();
    }
  });
});
