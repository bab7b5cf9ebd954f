import type { ImageRef } from '../releases/ports.js';
import type { AttributedPull, Deployment, Environment } from './model.js';

/** Environments as stored (part of MetadataStore, so they share its transactions). */
export interface EnvironmentStore {
  /** A name already in use → Errors.conflict. */
  insert(environment: Environment): Promise<void>;
  byName(name: string): Promise<Environment | undefined>;
  list(): Promise<Environment[]>;
  update(id: string, patch: Partial<Pick<Environment, 'description' | 'color'>> & { updatedAt: Date }): Promise<void>;
  /** Removes the environment with its pull events and deployments. */
  delete(id: string): Promise<void>;
}

export interface TimelineQuery {
  limit: number;
  order: 'asc' | 'desc';
  repository?: string;
  /** Keyset position: continue after this deployment (first seen, id) in the chosen order. */
  after?: { firstSeen: Date; id: string };
}

/** Pull events and the deployments aggregate derived from them. */
export interface DeploymentStore {
  /**
   * Folds a batch of attributed requests (in time order) into the deployments aggregate and appends one pull
   * event per new pull, in one transaction. Requests of environments that no longer exist are dropped.
   * Returns the runs the batch started: an environment that began running another image of a repository.
   */
  recordPulls(batch: AttributedPull[]): Promise<Deployment[]>;
  /** Deployments of one environment by first seen. */
  timeline(environmentId: string, query: TimelineQuery): Promise<Deployment[]>;
  /** The latest deployment of every repository of the environment, by repository name. */
  current(environmentId: string): Promise<Deployment[]>;
  /**
   * For fetched manifests, the OCI indexes of the same repository that list them, keyed by imageKey(): how
   * the recorder attributes a platform manifest to the index a client resolved first.
   */
  indexesListing(images: ImageRef[]): Promise<Map<string, Set<string>>>;
}
