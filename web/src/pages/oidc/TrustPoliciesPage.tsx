import { useState } from 'react';
import { formatScopeEntry } from '../../api/scopes';
import { deleteTrustPolicy, listTrustPolicies } from '../../api/trust-policies';
import type { TrustPolicy } from '../../api/types';
import { DangerConfirm } from '../../components/DangerConfirm';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SortableTable, type Column } from '../../components/SortableTable';
import { Timestamp } from '../../components/Timestamp';
import { useNotify } from '../../components/Toasts';
import { formatDate } from '../../format/dates';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../session/session';
import { PERMISSION_LABELS } from '../tokens/token-rules';
import { CreateTrustPolicyDialog } from './CreateTrustPolicyDialog';

/** OIDC trust policies: which CI jobs may trade their ID token for a short-lived token. Admins change them; developers read them. */
export function TrustPoliciesPage() {
  const me = useMe();
  const isAdmin = me.user.role === 'admin';
  const notify = useNotify();
  const policies = useAsync(listTrustPolicies, []);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<TrustPolicy | null>(null);

  const columns: Column<TrustPolicy>[] = [
    {
      key: 'name',
      label: 'Name',
      sortValue: (p) => p.name,
      render: (p) => (
        <span className="cell-stack">
          <strong>{p.name}</strong>
          <small className="muted truncate" title={p.issuer}>
            {p.issuer}
          </small>
        </span>
      ),
    },
    { key: 'audience', label: 'Audience', sortValue: (p) => p.audience, render: (p) => <code className="code-inline">{p.audience}</code> },
    {
      key: 'rules',
      label: 'Claim rules',
      render: (p) => (
        <span className="cell-stack">
          {p.rules.map((r) => (
            <small key={r.claim}>
              <code>{r.claim}</code> = {r.values.join(' or ')}
            </small>
          ))}
        </span>
      ),
    },
    {
      key: 'permission',
      label: 'Token',
      sortValue: (p) => p.permission,
      render: (p) => (
        <span className="cell-stack">
          {PERMISSION_LABELS[p.permission]}, {p.tokenTtlSeconds} s
          <small className="muted">{p.scope ? p.scope.map(formatScopeEntry).join(', ') : 'All repositories'}</small>
          {p.environment ? <small className="muted">Environment: {p.environment}</small> : null}
        </span>
      ),
    },
    { key: 'createdAt', label: 'Created', sortValue: (p) => new Date(p.createdAt).getTime(), render: (p) => <Timestamp at={p.createdAt} format={formatDate} /> },
    ...(isAdmin
      ? [
          {
            key: 'actions',
            label: 'Actions',
            className: 'cell-actions',
            render: (p: TrustPolicy) => (
              <button type="button" className="button button-small button-danger-outline" onClick={() => setDeleting(p)} aria-label={`Delete ${p.name}`}>
                Delete
              </button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="CI trust policies"
        description={
          isAdmin
            ? 'CI jobs whose OIDC ID token matches a policy exchange it for a short-lived token (POST /api/v1/oidc/exchange): no secret stored in CI.'
            : 'CI jobs whose OIDC ID token matches a policy exchange it for a short-lived token. Only admins can change these policies.'
        }
        actions={
          isAdmin ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Create policy
            </button>
          ) : undefined
        }
      />
      <ErrorAlert error={policies.error} title="Could not load the trust policies." />
      {policies.data ? (
        <SortableTable
          caption="Trust policies"
          columns={columns}
          rows={policies.data}
          rowKey={(p) => p.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          empty={<p className="empty">No trust policies yet: CI jobs cannot exchange ID tokens.</p>}
        />
      ) : null}
      {creating ? (
        <CreateTrustPolicyDialog
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            notify(`Trust policy ${p.name} created`);
            void policies.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <DangerConfirm
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete"
          perform={deleteTrustPolicy}
          args={[deleting.name]}
          done={`Trust policy ${deleting.name} deleted`}
          onDone={() => void policies.reload()}
          onClose={() => setDeleting(null)}
        >
          <p>CI jobs can no longer exchange ID tokens through it. Tokens it already issued run out on their own (within the hour).</p>
        </DangerConfirm>
      ) : null}
    </>
  );
}
