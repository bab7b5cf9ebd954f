import { formatScopeEntry } from '../../api/scopes';
import type { Token, Whoami } from '../../api/types';
import { Badge, TokenStatusBadge } from '../../components/Badge';
import { SortableTable, type Column } from '../../components/SortableTable';
import { Timestamp } from '../../components/Timestamp';
import { formatDate, formatDateTime, formatRelative } from '../../format/dates';
import { canDelete, canRevoke, canRotate, PERMISSION_LABELS } from './token-rules';

interface TokenTableProps {
  me: Whoami;
  tokens: Token[];
  /** Environment name by id, to label environment tokens. */
  environmentNames?: Map<string, string>;
  onRevoke: (token: Token) => void;
  onDelete: (token: Token) => void;
  /** Offers "Rotate" on the rows it applies to. */
  onRotate?: (token: Token) => void;
  empty: string;
  /** On an environment's own page every token belongs to it: do not repeat its name on each row. */
  hideEnvironment?: boolean;
}

const time = (iso: string | null) => (iso ? new Date(iso).getTime() : null);

export function TokenTable({ me, tokens, environmentNames, onRevoke, onDelete, onRotate, empty, hideEnvironment }: TokenTableProps) {
  const columns: Column<Token>[] = [
    {
      key: 'name',
      label: 'Name',
      sortValue: (t) => t.name.toLowerCase(),
      className: 'token-name',
      render: (t) => {
        const environment = !hideEnvironment && t.environmentId ? (environmentNames?.get(t.environmentId) ?? t.environment) : null;
        return (
          <span className="cell-stack">
            <strong className="truncate" title={t.name}>
              {t.name}
            </strong>
            {environment ? (
              <small className="muted truncate" title={`Environment: ${environment}`}>
                Environment: {environment}
              </small>
            ) : null}
            {t.credentialHelper ? <small className="muted truncate">Short-lived credential helper token (docker-credential-flyreg)</small> : null}
            {t.ci ? (
              <small className="muted truncate">
                CI run{t.ci.repository ? ` of ${t.ci.repository}` : ''}
                {t.ci.refName ? ` at ${t.ci.refName}` : ''}
                {t.ci.runUrl ? (
                  <>
                    {' '}
                    (<a href={t.ci.runUrl}>run {t.ci.runId ?? ''}</a>)
                  </>
                ) : null}
              </small>
            ) : null}
          </span>
        );
      },
    },
    {
      key: 'username',
      label: 'Username',
      className: 'token-username',
      sortValue: (t) => t.username,
      render: (t) => (
        <code className="code-inline truncate" title={t.username}>
          {t.username}
        </code>
      ),
    },
    {
      key: 'permission',
      label: 'Permission',
      sortValue: (t) => t.permission,
      // The scope is the permission's reach, so it sits under it rather than in a column of its own (the table fits
      // 1280 px); only scoped tokens get the second line, so a list of whole-registry tokens stays one line a row.
      render: (t) => {
        if (!t.scope) return <span title="All repositories">{PERMISSION_LABELS[t.permission]}</span>;
        const scope = t.scope.map(formatScopeEntry).join(', ');
        return (
          <span className="cell-stack">
            {PERMISSION_LABELS[t.permission]}
            <small className="muted truncate token-scope" title={`Scope: ${scope}`}>
              {scope}
            </small>
          </span>
        );
      },
    },
    { key: 'createdBy', label: 'Created By', sortValue: (t) => t.createdBy, render: (t) => t.createdBy },
    {
      key: 'createdAt',
      label: 'Created',
      sortValue: (t) => time(t.createdAt),
      // Date and time: tokens made the same day are told apart, and the CLI shows the same instant.
      render: (t) => <Timestamp at={t.createdAt} format={formatDateTime} />,
    },
    {
      key: 'expiresAt',
      label: 'Expires',
      sortValue: (t) => time(t.expiresAt),
      render: (t) => <Timestamp at={t.expiresAt} format={formatDate} missing="Never" />,
    },
    {
      key: 'status',
      label: 'Status',
      sortValue: (t) => t.status,
      render: (t) => (
        <span className="cell-stack">
          <TokenStatusBadge status={t.status} />
          {t.expiringSoon ? <Badge tone="amber">Expiring soon</Badge> : null}
        </span>
      ),
    },
    {
      key: 'lastUsedAt',
      label: 'Last used',
      sortValue: (t) => time(t.lastUsedAt),
      // After a rotation, the old secret's state sits under it: the question then is whether anyone still uses it.
      render: (t) => (
        <span className="cell-stack">
          {t.lastUsedAt ? (
            <span title={[formatDateTime(t.lastUsedAt), t.lastUsedIp, t.lastUsedClient].filter(Boolean).join(' · ')}>
              {formatRelative(t.lastUsedAt)}{' '}
              <small className="muted">
                ({t.useCount} {t.useCount === 1 ? 'use' : 'uses'})
              </small>
            </span>
          ) : (
            <span className="muted">Never used</span>
          )}
          <PreviousSecretNote token={t} />
        </span>
      ),
    },
    {
      key: 'actions',
      label: 'Actions',
      className: 'cell-actions',
      render: (t) =>
        !canRevoke(me, t) && !canDelete(me, t) ? (
          <small className="muted" title="Only the token's creator or an admin can revoke or delete it">
            {t.status === 'active' ? 'Creator or admin' : '—'}
          </small>
        ) : (
        <div className="row-actions">
          {onRotate && canRotate(me, t) ? (
            <button type="button" className="button button-small" onClick={() => onRotate(t)} aria-label={`Rotate ${t.name}`}>
              Rotate
            </button>
          ) : null}
          {canRevoke(me, t) ? (
            <button type="button" className="button button-small button-danger-outline" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.name}`}>
              Revoke
            </button>
          ) : null}
          {canDelete(me, t) ? (
            <button type="button" className="button button-small" onClick={() => onDelete(t)} aria-label={`Delete ${t.name}`}>
              Delete
            </button>
          ) : null}
        </div>
        ),
    },
  ];
  return (
    <div className="token-table">
    <SortableTable
      caption="Tokens"
      columns={columns}
      rows={tokens}
      rowKey={(t) => t.id}
      initialSort={{ key: 'createdAt', direction: 'descending' }}
      empty={<p className="empty">{empty}</p>}
    />
    </div>
  );
}

/** After a rotation, while the replaced secret still works: is anyone still using it, and when does it stop? */
function PreviousSecretNote({ token }: { token: Token }) {
  const previous = token.previousSecret;
  if (!previous) return null;
  // Two short lines: the cell does not wrap at desktop widths.
  return (
    <span className="cell-stack" data-testid="previous-secret" title={`Old secret stops working ${formatDateTime(previous.retiresAt)}`}>
      <small>Old secret {previous.usedSinceRotation ? <strong>in use</strong> : <span className="muted">unused</span>}</small>
      <small className="muted">stops {formatRelative(previous.retiresAt)}</small>
    </span>
  );
}
