import type { JWTPayload } from 'jose';
import { claimText } from './claim-rules.js';
import type { CiProvenance } from './model.js';

const GITHUB_DOT_COM_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * The claims that matter, read from a GitHub Actions or GitLab CI ID token (other issuers keep whatever of
 * these claim names they use). Links to the run are built from the issuer: github.com for GitHub's issuer,
 * the issuer's origin for GitHub Enterprise Server (`https://HOST/_services/token`) and other GitHub-shaped
 * issuers, the issuer URL itself for GitLab (whose issuer is the instance URL).
 */
export function provenanceOf(claims: JWTPayload & { iss: string; sub: string }, tokenId: string, policyId: string): CiProvenance {
  const text = (name: string) => claimText(claims, name);
  const gitlab = text('project_path') !== null && text('pipeline_id') !== null;
  const repository = gitlab ? text('project_path') : text('repository');
  const ref = text('ref');
  const { refName, refType, pullRequest } = refParts(ref, text('ref_type'));
  const runId = gitlab ? text('pipeline_id') : text('run_id');
  return {
    tokenId,
    policyId,
    issuer: claims.iss,
    subject: claims.sub,
    repository,
    ref,
    sha: text('sha'),
    workflow: gitlab ? text('ci_config_ref_uri') : text('workflow'),
    runId,
    runUrl: runUrl(claims.iss, gitlab, repository, runId, text('run_attempt')),
    actor: gitlab ? text('user_login') : text('actor'),
    refName,
    refType,
    pullRequest,
  };
}

function refParts(ref: string | null, refType: string | null): Pick<CiProvenance, 'refName' | 'refType' | 'pullRequest'> {
  if (ref === null) return { refName: null, refType: null, pullRequest: null };
  const pull = /^refs\/pull\/([0-9]+)\//.exec(ref);
  if (pull) return { refName: null, refType: null, pullRequest: pull[1] ?? null };
  if (ref.startsWith('refs/tags/')) return { refName: ref.slice('refs/tags/'.length), refType: 'tag', pullRequest: null };
  if (ref.startsWith('refs/heads/')) return { refName: ref.slice('refs/heads/'.length), refType: 'branch', pullRequest: null };
  // GitLab sends the bare name and says which kind it is.
  if (refType === 'tag' || refType === 'branch') return { refName: ref, refType, pullRequest: null };
  return { refName: null, refType: null, pullRequest: null };
}

function runUrl(issuer: string, gitlab: boolean, repository: string | null, runId: string | null, attempt: string | null): string | null {
  if (repository === null || runId === null || !/^[0-9]+$/.test(runId)) return null;
  const path = repository.split('/').map(encodeURIComponent).join('/');
  if (gitlab) return `${issuer.replace(/\/+$/, '')}/${path}/-/pipelines/${runId}`;
  const server = issuer === GITHUB_DOT_COM_ISSUER ? 'https://github.com' : new URL(issuer).origin;
  const attemptPart = attempt !== null && /^[0-9]+$/.test(attempt) ? `/attempts/${attempt}` : '';
  return `${server}/${path}/actions/runs/${runId}${attemptPart}`;
}
