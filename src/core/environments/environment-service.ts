import { scopeInput } from '../auth/scope.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import { kubernetesSecretInput, type KubernetesSecretInput } from '../tokens/kubernetes-secret.js';
import {
  environmentNameInput,
  expiresAtInput,
  permissionInput,
  type IssuedToken,
  type TokenDetails,
  type TokenService,
} from '../tokens/token-service.js';
import { displayText, parseInput } from '../validation.js';
import type { Environment } from './model.js';

const colorInput = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')
  .transform((c) => c.toLowerCase());
const descriptionInput = displayText(500);

/** A token created for an environment: everything optional (name defaults to the environment's, permission to read-only). */
export const environmentTokenInput = z.strictObject({
  name: displayText(100).optional(),
  permission: permissionInput.optional(),
  expiresAt: expiresAtInput.optional(),
  kubernetes: kubernetesSecretInput.optional(),
  /** Fine-grained scope (core/auth/scope.ts): e.g. `["oci:team/api"]`; absent = the whole registry. */
  scope: scopeInput.optional(),
});

export const createEnvironmentInput = z.strictObject({
  name: environmentNameInput,
  description: descriptionInput.nullable().optional(),
  color: colorInput.nullable().optional(),
  /** Create the environment's first token in the same call. */
  token: environmentTokenInput.optional(),
});

export const updateEnvironmentInput = z
  .strictObject({
    description: descriptionInput.nullable().optional(),
    color: colorInput.nullable().optional(),
  })
  .refine((v) => v.description !== undefined || v.color !== undefined, { message: 'name at least one of description, color' });

export const deleteEnvironmentQuery = z.strictObject({ confirm: z.enum(['true', 'false']).optional() });

/** An environment's profile: itself and its tokens. */
export interface EnvironmentProfile {
  environment: Environment;
  tokens: TokenDetails[];
}

export interface EnvironmentServiceDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  tokens: TokenService;
}

/** Runtime environments: create, show, change, delete, and their tokens. */
export class EnvironmentService {
  constructor(private readonly deps: EnvironmentServiceDeps) {}

  /** The environment by name, or not_found. Authorizes reading environments. */
  async resolve(actor: Principal, name: string): Promise<Environment> {
    authorize(actor, 'pull', { kind: 'environment' });
    const parsed = environmentNameInput.safeParse(name);
    const environment = parsed.success ? await this.deps.store.environments.byName(parsed.data) : undefined;
    if (!environment) throw Errors.notFound('Environment', name);
    return environment;
  }

  async list(actor: Principal): Promise<Environment[]> {
    authorize(actor, 'pull', { kind: 'environment' });
    return this.deps.store.environments.list();
  }

  /** The environment's profile: itself and its tokens. */
  async get(actor: Principal, name: string): Promise<EnvironmentProfile> {
    const environment = await this.resolve(actor, name);
    authorize(actor, 'pull', { kind: 'tokens' });
    return { environment, tokens: await this.deps.tokens.listForEnvironment(environment.id) };
  }

  async create(
    actor: Principal,
    input: unknown,
    ctx: RequestContext,
    kubernetesQuery: KubernetesSecretInput = {},
  ): Promise<{ environment: Environment; token: IssuedToken | null }> {
    authorize(actor, 'push', { kind: 'environment' });
    const parsed = parseInput(createEnvironmentInput, input);
    if (parsed.token) authorize(actor, 'push', { kind: 'tokens' });
    const now = this.deps.clock.now();
    const expiresAt = this.deps.tokens.expiry(parsed.token?.expiresAt);
    const scope = this.deps.tokens.scope(parsed.token?.scope ?? null, parsed.token?.permission ?? 'read-only', 'token.scope');
    const environment: Environment = {
      id: randomUUID(),
      name: parsed.name,
      description: parsed.description ?? null,
      color: parsed.color ?? null,
      createdBy: actor.user.username,
      createdAt: now,
      updatedAt: now,
    };
    const issued = await this.deps.store.transaction(async (tx) => {
      await tx.environments.insert(environment);
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'environment.created',
          target: { type: 'environment', id: environment.id, name: environment.name },
          details: { description: environment.description, color: environment.color },
        },
        ctx,
      );
      if (!parsed.token) return null;
      return this.deps.tokens.insert(
        tx,
        actor,
        {
          name: parsed.token.name ?? environment.name,
          permission: parsed.token.permission ?? 'read-only',
          expiresAt,
          environment: { id: environment.id, name: environment.name },
          scope,
        },
        ctx,
      );
    });
    return {
      environment,
      token: issued && this.deps.tokens.created(issued.token, issued.secret, { ...kubernetesQuery, ...parsed.token?.kubernetes }),
    };
  }

  /** Another token for the environment (read-only unless asked otherwise). */
  async createToken(actor: Principal, name: string, input: unknown, ctx: RequestContext, kubernetesQuery: KubernetesSecretInput = {}): Promise<IssuedToken> {
    const environment = await this.resolve(actor, name);
    authorize(actor, 'push', { kind: 'tokens' });
    const parsed = parseInput(environmentTokenInput, input ?? {});
    const expiresAt = this.deps.tokens.expiry(parsed.expiresAt);
    const issued = await this.deps.store.transaction((tx) =>
      this.deps.tokens.insert(
        tx,
        actor,
        {
          name: parsed.name ?? environment.name,
          permission: parsed.permission ?? 'read-only',
          expiresAt,
          environment: { id: environment.id, name: environment.name },
          scope: this.deps.tokens.scope(parsed.scope ?? null, parsed.permission ?? 'read-only'),
        },
        ctx,
      ),
    );
    return this.deps.tokens.created(issued.token, issued.secret, { ...kubernetesQuery, ...parsed.kubernetes });
  }

  async update(actor: Principal, name: string, input: unknown, ctx: RequestContext): Promise<Environment> {
    const environment = await this.resolve(actor, name);
    authorize(actor, 'push', { kind: 'environment' });
    const patch = parseInput(updateEnvironmentInput, input);
    const updated: Environment = {
      ...environment,
      description: patch.description === undefined ? environment.description : patch.description,
      color: patch.color === undefined ? environment.color : patch.color,
      updatedAt: this.deps.clock.now(),
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.environments.update(environment.id, { ...patch, updatedAt: updated.updatedAt });
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'environment.updated',
          target: { type: 'environment', id: environment.id, name: environment.name },
          details: {
            before: { description: environment.description, color: environment.color },
            after: { description: updated.description, color: updated.color },
          },
        },
        ctx,
      );
    });
    return updated;
  }

  /**
   * Deletes an environment once confirmed: revokes its tokens, removes its pull events and deployments, and
   * writes what ran there into the audit log, which keeps its history (created, tokens, deleted) readable.
   */
  async delete(actor: Principal, name: string, query: unknown, ctx: RequestContext): Promise<{ revokedTokens: number }> {
    const environment = await this.resolve(actor, name);
    authorize(actor, 'delete', { kind: 'environment' });
    const { confirm } = parseInput(deleteEnvironmentQuery, query, 'Query');
    if (confirm !== 'true') {
      throw Errors.validation(
        `Deleting environment ${environment.name} revokes all its tokens and drops its deployment history: repeat with ?confirm=true`,
        [{ path: 'confirm', message: 'must be true' }],
      );
    }
    const revoked = await this.deps.store.transaction(async (tx) => {
      const running = await tx.deployments.current(environment.id);
      const ids = await this.deps.tokens.revokeForEnvironment(tx, actor, environment, ctx);
      await tx.environments.delete(environment.id);
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'environment.deleted',
          target: { type: 'environment', id: environment.id, name: environment.name },
          details: {
            revokedTokens: ids,
            running: running.map((d) => ({ repository: d.repository, digest: d.digest, tag: d.tag, since: d.firstSeen.toISOString() })),
          },
        },
        ctx,
      );
      return ids;
    });
    this.deps.tokens.forget(revoked);
    return { revokedTokens: revoked.length };
  }
}
