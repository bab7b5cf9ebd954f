import type { AttributedPull, Deployment } from './model.js';

export const deploymentKey = (environmentId: string, repository: string): string => `${environmentId}\n${repository}`;

export interface FoldResult {
  /** New runs, with their final figures after the whole batch. */
  inserted: Deployment[];
  /** Runs that existed before the batch and changed. */
  updated: Deployment[];
}

/**
 * Folds pulls (in time order) into the deployments aggregate. `current` holds the latest run of each
 * (environment, repository) the batch touches, keyed by deploymentKey(). A pull of the digest that already
 * runs extends that run; a new pull of another digest starts the next run. A continuation (newPull false)
 * never starts a run: a client finishing the pull it began before a newer image arrived is no deployment.
 * Inputs are not modified.
 */
export function foldPulls(current: ReadonlyMap<string, Deployment>, pulls: readonly AttributedPull[], newId: () => string): FoldResult {
  const heads = new Map(current);
  const inserted = new Map<string, Deployment>();
  const updated = new Map<string, Deployment>();
  for (const pull of pulls) {
    const key = deploymentKey(pull.environmentId, pull.repository);
    const head = heads.get(key);
    if (head && head.digest === pull.imageDigest) {
      const next: Deployment = {
        ...head,
        lastSeen: pull.at.getTime() > head.lastSeen.getTime() ? pull.at : head.lastSeen,
        pullCount: head.pullCount + (pull.newPull ? 1 : 0),
        tag: pull.tag ?? head.tag,
      };
      heads.set(key, next);
      (inserted.has(head.id) ? inserted : updated).set(head.id, next);
      continue;
    }
    if (!pull.newPull) continue;
    const run: Deployment = {
      id: newId(),
      environmentId: pull.environmentId,
      repository: pull.repository,
      run: (head?.run ?? 0) + 1,
      digest: pull.imageDigest,
      tag: pull.tag,
      firstSeen: pull.at,
      lastSeen: pull.at,
      pullCount: 1,
    };
    heads.set(key, run);
    inserted.set(run.id, run);
  }
  return { inserted: [...inserted.values()], updated: [...updated.values()] };
}
