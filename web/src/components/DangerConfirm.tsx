import type { ReactNode } from 'react';
import { useAction } from '../hooks/useAsync';
import { ConfirmDialog } from './ConfirmDialog';
import { useNotify } from './Toasts';

interface DangerConfirmProps<A extends unknown[]> {
  title: string;
  confirmLabel: string;
  /** The API call, run with `args` once confirmed; its error shows in the dialog, which stays open. */
  perform: (...args: A) => Promise<unknown>;
  args: A;
  /** The toast once it succeeded ("Webhook deploys deleted"). */
  done: string;
  /** After success, before the dialog closes: the page reloads what changed. */
  onDone: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** Asks before a destructive action on one thing (delete, revoke); on success tells the user, lets the page reload, closes. */
export function DangerConfirm<A extends unknown[]>({ title, confirmLabel, perform, args, done, onDone, onClose, children }: DangerConfirmProps<A>) {
  const action = useAction(perform);
  const notify = useNotify();
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      danger
      action={action}
      onClose={onClose}
      onConfirm={async () => {
        if ((await action.run(...args)) === undefined) return;
        notify(done);
        onDone();
        onClose();
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
