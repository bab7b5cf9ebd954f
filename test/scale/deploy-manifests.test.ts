import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, SETTINGS } from '../../src/server/config.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * The Dockerfile and Kubernetes manifests cannot be run here (no container engine, no cluster), so this
 * checks what can go wrong without one: YAML that does not parse, objects without apiVersion/kind, labels
 * and names that do not line up, settings the server does not know, and probes aimed at paths it does not serve.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const K8S = `${ROOT}deploy/kubernetes/`;

interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  [key: string]: unknown;
}

type Probe = { httpGet?: { path?: string; port?: string | number } };
interface Container {
  ports?: { name?: string; containerPort?: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; value?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml'));
const documents = new Map<string, K8sObject[]>(files.map((f) => [f, loadAll(readFileSync(`${K8S}${f}`, 'utf8')) as K8sObject[]]));
const all = [...documents.values()].flat();
const one = (kind: string) => {
  const found = all.filter((d) => d.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as K8sObject & Record<string, unknown>;
};

describe('deploy/kubernetes manifests', () => {
  it('parse as YAML, every document with apiVersion, kind and a name', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const [file, docs] of documents) {
      expect(docs.length, file).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc.apiVersion, file).toMatch(/^[a-z0-9.]+(\/v\d+\w*)?$|^v1$/);
        expect(doc.kind, file).toMatch(/^[A-Z]\w+$/);
        if (doc.kind !== 'Kustomization') expect(doc.metadata?.name, file).toMatch(/^[a-z0-9-]+$/);
      }
    }
  });

  it('are all listed in the kustomization, which lists nothing missing', () => {
    const resources = (one('Kustomization').resources as string[]).sort();
    expect(resources).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  it('hold only settings the server knows, and together form a valid PostgreSQL + S3 configuration', () => {
    const config = one('ConfigMap').data as Record<string, string>;
    const secret = one('Secret').stringData as Record<string, string>;
    const container = deploymentContainer();
    const inline = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
    const known = new Set<string>(Object.values(SETTINGS).map((s) => s.env));
    for (const name of [...Object.keys(config), ...Object.keys(secret), ...Object.keys(inline)]) expect(known, name).toContain(name);
    const parsed = parseConfig({ ...config, ...secret, ...inline });
    expect(parsed.databaseUrl).toMatch(/^postgres:\/\//);
    expect(parsed.blobs.kind).toBe('s3');
    // SIGTERM: the server's own deadline ends well inside the pod's grace period, leaving time to flush.
    const grace = (one('Deployment').spec as { template: { spec: { terminationGracePeriodSeconds: number } } }).template.spec.terminationGracePeriodSeconds;
    expect(parsed.http.shutdownTimeoutMs / 1000).toBeLessThanOrEqual(grace - 5);
    // The process count is pinned: its default follows the node's cores, which a fixed memory limit cannot.
    expect(config.FLY_WORKERS ?? inline.FLY_WORKERS).toBeDefined();
    expect(parsed.workers).toBe(1);
    // Secrets stay in the Secret.
    for (const name of ['FLY_DATABASE_URL', 'FLY_S3_SECRET_ACCESS_KEY', 'FLY_ADMIN_PASSWORD']) expect(Object.keys(config)).not.toContain(name);
  });

  it('wire the Deployment to its ConfigMap, Secret, Service and disruption budget', () => {
    const deployment = one('Deployment');
    const spec = deployment.spec as { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { securityContext: { runAsNonRoot: boolean } } } };
    expect(spec.replicas).toBeGreaterThan(1);
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    expect(spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect((one('Service').spec as { selector: Record<string, string> }).selector).toEqual(spec.selector.matchLabels);
    expect((one('PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels).toEqual(spec.selector.matchLabels);
    const container = deploymentContainer();
    expect(container.envFrom?.map((e) => e.configMapRef?.name ?? e.secretRef?.name)).toEqual([one('ConfigMap').metadata?.name, one('Secret').metadata?.name]);
    const portNames = (container.ports ?? []).map((p) => p.name);
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) expect(portNames).toContain(probe?.httpGet?.port);
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
  });
});

function deploymentContainer(): Container {
  const spec = one('Deployment').spec as { template: { spec: { containers: Container[] } } };
  expect(spec.template.spec.containers).toHaveLength(1);
  return spec.template.spec.containers[0] as Container;
}

describe('probe paths answer on a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves every path the Deployment and the Dockerfile probe', async () => {
    const container = deploymentContainer();
    const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
    const healthcheck = /HEALTHCHECK[\s\S]*?\/(\w+)`/.exec(dockerfile)?.[1];
    const paths = new Set([container.readinessProbe, container.livenessProbe, container.startupProbe].map((p) => p?.httpGet?.path));
    paths.add(`/${healthcheck}`);
    expect([...paths].sort()).toEqual(['/healthz', '/readyz']);
    for (const path of paths) expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');

  it('builds in one stage and ships production dependencies and dist/ in another, as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/main.js"\]$/m);
    // What the image runs is what `npm run build` produces.
    expect(existsSync(`${ROOT}dist/cli/main.js`)).toBe(true);
  });
});
