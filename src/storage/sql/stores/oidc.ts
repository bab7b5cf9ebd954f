import type { Kysely, Selectable } from 'kysely';
import type { Permission } from '../../../core/model.js';
import type { CiProvenance, ClaimRule, OidcStore, ScopeGrant, TrustPolicy } from '../../../core/oidc/model.js';
import { toDate } from '../rows.js';
import type { Database, OidcTrustPoliciesTable, TokenCiProvenanceTable } from '../schema.js';

const toPolicy = (r: Selectable<OidcTrustPoliciesTable>): TrustPolicy => ({
  id: r.id,
  name: r.name,
  issuer: r.issuer,
  audience: r.audience,
  rules: JSON.parse(r.rules) as ClaimRule[],
  permission: r.permission as Permission,
  scope: r.scope === null ? null : (JSON.parse(r.scope) as ScopeGrant[]),
  environment: r.environment,
  tokenTtlSeconds: Number(r.token_ttl_seconds),
  createdBy: r.created_by,
  createdAt: toDate(r.created_at),
});

const toProvenance = (r: Selectable<TokenCiProvenanceTable>): CiProvenance => ({
  tokenId: r.token_id,
  policyId: r.policy_id,
  issuer: r.issuer,
  subject: r.subject,
  repository: r.repository,
  ref: r.ref,
  refName: r.ref_name,
  refType: r.ref_type === 'tag' || r.ref_type === 'branch' ? r.ref_type : null,
  pullRequest: r.pull_request,
  sha: r.sha,
  workflow: r.workflow,
  runId: r.run_id,
  runUrl: r.run_url,
  actor: r.actor,
});

export class SqlOidcStore implements OidcStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertPolicy(p: TrustPolicy): Promise<void> {
    await this.db
      .insertInto('oidc_trust_policies')
      .values({
        id: p.id,
        name: p.name,
        issuer: p.issuer,
        audience: p.audience,
        rules: JSON.stringify(p.rules),
        permission: p.permission,
        scope: p.scope === null ? null : JSON.stringify(p.scope),
        environment: p.environment,
        token_ttl_seconds: p.tokenTtlSeconds,
        created_by: p.createdBy,
        created_at: p.createdAt.getTime(),
      })
      .execute();
  }

  async policyById(id: string): Promise<TrustPolicy | undefined> {
    const row = await this.db.selectFrom('oidc_trust_policies').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPolicy(row);
  }

  async policyByName(name: string): Promise<TrustPolicy | undefined> {
    const row = await this.db.selectFrom('oidc_trust_policies').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toPolicy(row);
  }

  async listPolicies(): Promise<TrustPolicy[]> {
    return (await this.db.selectFrom('oidc_trust_policies').selectAll().orderBy('name').execute()).map(toPolicy);
  }

  async policiesForIssuer(issuer: string): Promise<TrustPolicy[]> {
    return (await this.db.selectFrom('oidc_trust_policies').selectAll().where('issuer', '=', issuer).orderBy('name').execute()).map(toPolicy);
  }

  async deletePolicy(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('oidc_trust_policies').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async useJti(issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    await this.db.deleteFrom('oidc_used_jtis').where('expires_at', '<', now.getTime()).execute();
    // ON CONFLICT DO NOTHING rather than catching the violation: a failed statement would abort a PostgreSQL
    // transaction. A concurrent insert of the same id on another replica waits on the key, then inserts nothing.
    const result = await this.db
      .insertInto('oidc_used_jtis')
      .values({ issuer, jti, expires_at: expiresAt.getTime() })
      .onConflict((oc) => oc.columns(['issuer', 'jti']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async insertProvenance(p: CiProvenance): Promise<void> {
    await this.db
      .insertInto('token_ci_provenance')
      .values({
        token_id: p.tokenId,
        policy_id: p.policyId,
        issuer: p.issuer,
        subject: p.subject,
        repository: p.repository,
        ref: p.ref,
        ref_name: p.refName,
        ref_type: p.refType,
        pull_request: p.pullRequest,
        sha: p.sha,
        workflow: p.workflow,
        run_id: p.runId,
        run_url: p.runUrl,
        actor: p.actor,
      })
      .execute();
  }

  async provenanceFor(tokenIds: string[]): Promise<Map<string, CiProvenance>> {
    const result = new Map<string, CiProvenance>();
    if (tokenIds.length === 0) return result;
    const rows = await this.db.selectFrom('token_ci_provenance').selectAll().where('token_id', 'in', [...new Set(tokenIds)]).execute();
    for (const row of rows) result.set(row.token_id, toProvenance(row));
    return result;
  }
}
