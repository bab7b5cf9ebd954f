import { deleteToken, revokeToken } from '../../api/endpoints';
import type { Token } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useNotify } from '../../components/Toasts';
import { useAction } from '../../hooks/useAsync';

export type TokenAction = { kind: 'revoke' | 'delete'; token: Token } | null;

/** The confirmation for a row action (revoke or delete), then the call, a notice and a reload. */
export function TokenConfirmDialogs({ action, onDone }: { action: TokenAction; onDone: (changed: boolean) => void }) {
  const notify = useNotify();
  const revoke = useAction(revokeToken);
  const remove = useAction(deleteToken);
  if (!action) return null;
  const { token } = action;

  if (action.kind === 'revoke') {
    return (
      <ConfirmDialog
        title="Revoke token?"
        confirmLabel="Revoke token"
        danger
        action={revoke}
        onClose={() => onDone(false)}
        onConfirm={async () => {
          const answer = await revoke.run(token.id);
          if (!answer) return;
          notify(answer.alreadyRevoked ? `${token.name} was already revoked` : `${token.name} revoked`);
          onDone(true);
        }}
      >
        <p>
          <strong>{token.name}</strong> (<code>{token.username}</code>) will stop working at once, for every client using it.
        </p>
        <p>This cannot be undone: a revoked token can never be reactivated. Create a new token if you need access again.</p>
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog
      title="Delete token?"
      confirmLabel="Delete token"
      danger
      action={remove}
      onClose={() => onDone(false)}
      onConfirm={async () => {
        if (!(await remove.run(token.id))) return;
        notify(`${token.name} deleted`);
        onDone(true);
      }}
    >
      <p>
        <strong>{token.name}</strong> is {token.status}. Deleting removes it from this list; the audit log keeps its history.
      </p>
    </ConfirmDialog>
  );
}
