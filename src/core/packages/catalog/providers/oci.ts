import { authorize, isAllowed } from '../../../auth/authorize.js';
import type { OciManifests } from '../../../oci/manifests.js';
import { isIndexType, type ManifestMediaType } from '../../../oci/media-types.js';
import { parseReference } from '../../../oci/names.js';
import type { MetadataStore } from '../../../ports.js';
import { readPublisher } from '../../publisher.js';
import type { CatalogVersion, OciPlatform } from '../model.js';
import type { OciRepositoryContents } from '../ports.js';
import type { CatalogProvider } from '../provider.js';
import { VERSIONS_SHOWN } from './package-model.js';

/** An image's config type, which the store keeps as its artifact type: shown as plain "image". */
const IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';

interface IndexDocument {
  manifests?: { digest?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } }[];
}

/** The platforms an index lists, read from its stored bytes (at most 4 MiB, usually cached). */
async function platformsOf(manifests: OciManifests, repository: string, digest: string): Promise<OciPlatform[]> {
  const { bytes } = await manifests.get(repository, parseReference(digest));
  const document = JSON.parse(bytes.toString('utf8')) as IndexDocument;
  return (document.manifests ?? []).flatMap((m) =>
    m.platform && typeof m.platform.os === 'string' && typeof m.platform.architecture === 'string' && typeof m.digest === 'string'
      ? [{ os: m.platform.os, architecture: m.platform.architecture, variant: typeof m.platform.variant === 'string' ? m.platform.variant : null, digest: m.digest }]
      : [],
  );
}

/** What pulling this manifest downloads: itself, its blobs, and for an index every listed manifest with its blobs. */
function totalSize(contents: OciRepositoryContents, sizes: Map<string, number>, digest: string): number {
  const own = (sizes.get(digest) ?? 0) + (contents.blobBytes.get(digest) ?? 0);
  return own + (contents.children.get(digest) ?? []).reduce((sum, child) => sum + (sizes.get(child) ?? 0) + (contents.blobBytes.get(child) ?? 0), 0);
}

/**
 * Docker/OCI in the Packages section: a repository's top-level manifests (images, indexes, artifacts; the
 * platform manifests inside an index and referrers such as signatures stay inside their parent), newest first.
 */
export function ociCatalogProvider(store: MetadataStore, manifests: OciManifests, registryHost: string): CatalogProvider {
  const artifact = (name: string) => ({ kind: 'artifact', protocol: 'oci', name }) as const;
  return {
    protocol: 'oci',
    authorizeView: (p, name) => authorize(p, 'pull', { kind: 'artifact', protocol: 'oci', name }),
    label: 'Docker / OCI',
    page: (store, query) => store.catalog.ociPage(query),
    async detail(s, name) {
      const contents = await s.catalog.ociContents(name, VERSIONS_SHOWN);
      if (!contents) return undefined;
      const sizes = new Map(contents.manifests.map((m) => [m.digest, m.size]));
      const listed = new Set([...contents.children.values()].flat());
      const tagsOf = new Map<string, string[]>();
      for (const t of contents.tags) tagsOf.set(t.digest, [...(tagsOf.get(t.digest) ?? []), t.name]);
      const topLevel = contents.manifests.filter((m) => m.subject === null && !listed.has(m.digest));
      const versions: CatalogVersion[] = await Promise.all(
        topLevel.map(async (m) => {
          const index = isIndexType(m.mediaType as ManifestMediaType);
          return {
            id: m.digest,
            tags: tagsOf.get(m.digest) ?? [],
            digest: m.digest,
            size: totalSize(contents, sizes, m.digest),
            kind: index ? 'index' : m.artifactType && m.artifactType !== IMAGE_CONFIG ? m.artifactType : 'image',
            platforms: index ? await platformsOf(manifests, name, m.digest) : [],
            createdAt: m.createdAt,
            publishedBy: readPublisher(m.publishedBy),
            deprecated: null,
            yanked: null,
            install: `docker pull ${registryHost}/${name}@${m.digest}`,
            files: [],
          };
        }),
      );
      const latestTag = [...contents.tags].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
      return {
        entry: {
          name,
          displayName: name,
          versionCount: contents.tags.length,
          latest: latestTag?.name ?? null,
          updatedAt: latestTag?.updatedAt ?? contents.createdAt,
        },
        versions,
        truncated: contents.truncated,
        deploymentRepository: name,
      };
    },
    actions: {
      // `version` is a tag (removes the tag only) or a digest (removes the manifest and every tag on it).
      delete: {
        allowed: (p, name) => isAllowed(p, 'delete', artifact(name)),
        async run(p, name, { version }, ctx) {
          authorize(p, 'delete', artifact(name));
          const reference = parseReference(version);
          // Audited by the registry itself, as a delete through the OCI API is.
          await manifests.delete(p, name, reference, ctx);
        },
      },
    },
  };
}
