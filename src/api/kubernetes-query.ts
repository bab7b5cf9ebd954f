import { kubernetesSecretInput } from '../core/tokens/kubernetes-secret.js';
import { parseInput } from '../core/validation.js';

/** `?namespace=&secretName=`: where the Kubernetes image-pull secret in a token creation answer goes. */
export const kubernetesQuery = (query: unknown) => parseInput(kubernetesSecretInput, query ?? {}, 'Query');
