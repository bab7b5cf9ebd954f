import { z } from 'zod';

/** A DNS-1123 label, as Kubernetes requires of namespaces. */
const dnsLabel = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lowercase letters, digits and inner hyphens');

/** A DNS-1123 subdomain, as Kubernetes requires of object names. */
const dnsSubdomain = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS subdomain: lowercase letters, digits, inner hyphens and dots');

export const DEFAULT_SECRET_NAME = 'fly-registry-secret';
export const DEFAULT_NAMESPACE = 'default';

/** Where the generated image-pull secret goes: a body field `kubernetes` or the query string. */
export const kubernetesSecretInput = z.strictObject({
  namespace: dnsLabel.optional(),
  secretName: dnsSubdomain.optional(),
});
export type KubernetesSecretInput = z.output<typeof kubernetesSecretInput>;

export interface KubernetesPullSecret {
  namespace: string;
  secretName: string;
  /** A `kubernetes.io/dockerconfigjson` Secret manifest (YAML), ready for `kubectl apply -f -`. */
  manifest: string;
  /** The equivalent `kubectl create secret docker-registry …` command. */
  kubectl: string;
}

/**
 * The image-pull secret a cluster needs to pull from this registry with a token. The registry answers at
 * the host root (/v2/), so the docker config is keyed by host[:port] whatever the public URL's path.
 */
export function kubernetesPullSecret(publicUrl: URL, username: string, secret: string, options: KubernetesSecretInput = {}): KubernetesPullSecret {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const secretName = options.secretName ?? DEFAULT_SECRET_NAME;
  const server = publicUrl.host;
  const dockerConfig = {
    auths: { [server]: { username, password: secret, auth: Buffer.from(`${username}:${secret}`).toString('base64') } },
  };
  const manifest = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${secretName}`,
    `  namespace: ${namespace}`,
    'type: kubernetes.io/dockerconfigjson',
    'data:',
    `  .dockerconfigjson: ${Buffer.from(JSON.stringify(dockerConfig)).toString('base64')}`,
    '',
  ].join('\n');
  const kubectl =
    `kubectl create secret docker-registry ${secretName} --namespace=${namespace} ` +
    `--docker-server=${server} --docker-username=${username} --docker-password='${secret}'`;
  return { namespace, secretName, manifest, kubectl };
}
