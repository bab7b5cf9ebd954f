import { randomUUID } from 'node:crypto';
import type { Deployment } from '../environments/model.js';
import type { DeploymentStore } from '../environments/ports.js';
import type { MetadataStore } from '../ports.js';

/**
 * The deployments store the pull recorder writes through: each batch's new runs (an environment now running
 * another image of a repository) are announced as `environment.deployed` in the batch's own transaction.
 */
export function announcingDeployments(store: MetadataStore): DeploymentStore {
  return {
    recordPulls: (batch) =>
      store.transaction(async (tx) => {
        const started = await tx.deployments.recordPulls(batch);
        await announce(tx, started);
        return started;
      }),
    timeline: (environmentId, query) => store.deployments.timeline(environmentId, query),
    current: (environmentId) => store.deployments.current(environmentId),
    indexesListing: (images) => store.deployments.indexesListing(images),
  };
}

async function announce(tx: MetadataStore, started: readonly Deployment[]): Promise<void> {
  if (started.length === 0) return;
  const names = new Map((await tx.environments.list()).map((e) => [e.id, e.name]));
  for (const d of started) {
    await tx.notifications.enqueue({
      id: randomUUID(),
      type: 'environment.deployed',
      occurredAt: d.firstSeen,
      actor: 'system',
      target: { type: 'environment', id: d.environmentId, name: names.get(d.environmentId) ?? null },
      details: { environment: names.get(d.environmentId) ?? null, repository: d.repository, digest: d.digest, tag: d.tag, run: d.run },
    });
  }
}
