import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { digestOf, parseManifest } from './manifest.js';
import { MediaType } from './media-types.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('a'), size: 10 };
const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('b'), size: 20 };
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('parseManifest', () => {
  it('extracts references, subject and artifact type from an image manifest', () => {
    const parsed = parseManifest(
      bytes({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer], subject: { ...config, digest: digest('c') }, annotations: { a: 'b' } }),
      MediaType.ociManifest,
    );
    expect(parsed).toEqual({
      mediaType: MediaType.ociManifest,
      artifactType: config.mediaType,
      subject: digest('c'),
      blobs: [
        { digest: config.digest, size: 10 },
        { digest: layer.digest, size: 20 },
      ],
      manifests: [],
      annotations: { a: 'b' },
    });
  });

  it('takes the media type from the body when no Content-Type was sent, and reads indexes', () => {
    const parsed = parseManifest(bytes({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ ...layer, mediaType: MediaType.ociManifest }] }), undefined);
    expect(parsed.mediaType).toBe(MediaType.ociIndex);
    expect(parsed.manifests).toEqual([{ digest: layer.digest, size: 20 }]);
    expect(parsed.blobs).toEqual([]);
  });

  it('skips foreign layers that live elsewhere', () => {
    const foreign = { mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', digest: digest('d'), size: 5, urls: ['https://example.com/x'] };
    const parsed = parseManifest(bytes({ schemaVersion: 2, mediaType: MediaType.dockerManifest, config, layers: [foreign, layer] }), MediaType.dockerManifest);
    expect(parsed.blobs.map((b) => b.digest)).toEqual([config.digest, layer.digest]);
  });

  it('refuses what is not a valid manifest of a supported type', () => {
    expect(codeOf(() => parseManifest(Buffer.from('{'), MediaType.ociManifest))).toBe('manifest_invalid');
    expect(codeOf(() => parseManifest(bytes({ schemaVersion: 2, layers: [] }), MediaType.ociManifest))).toBe('manifest_invalid');
    expect(codeOf(() => parseManifest(bytes({ schemaVersion: 2, config, layers: [] }), 'application/json'))).toBe('manifest_invalid');
    expect(codeOf(() => parseManifest(bytes({ schemaVersion: 2, mediaType: MediaType.ociIndex, config, layers: [] }), MediaType.ociManifest))).toBe('manifest_invalid');
    expect(codeOf(() => parseManifest(bytes({ schemaVersion: 2, manifests: [] }), MediaType.ociIndex))).toBeUndefined();
    expect(codeOf(() => parseManifest(bytes({ schemaVersion: 2, config, layers: [], manifests: [] }), MediaType.ociManifest))).toBe('manifest_invalid');
    expect(codeOf(() => parseManifest(bytes({ schemaVersion: 1 }), 'application/vnd.docker.distribution.manifest.v1+prettyjws'))).toBe('unsupported');
  });

  it('digests exact bytes with the requested algorithm', () => {
    expect(digestOf(Buffer.from(''))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(digestOf(Buffer.from(''), 'sha512')).toMatch(/^sha512:cf83e135/);
  });
});
