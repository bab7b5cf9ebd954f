import type { ReactNode } from 'react';
import type { ActionState } from '../hooks/useAsync';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** The confirmed action: the button is disabled while it is pending; its error shows above the buttons. */
  action: ActionState;
  onConfirm: () => void;
  onClose: () => void;
}

/** Asks before an action; the safe choice (Cancel) has the focus. */
export function ConfirmDialog({ title, children, confirmLabel, danger, action, onConfirm, onClose }: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm-text">{children}</div>
      <ErrorAlert error={action.error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className={danger ? 'button button-danger' : 'button button-primary'} onClick={onConfirm} disabled={action.pending}>
          {action.pending ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
