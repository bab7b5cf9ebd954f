import type { FormEvent, ReactNode } from 'react';
import { Dialog } from './Dialog';
import type { ActionState } from '../hooks/useAsync';
import { ErrorAlert } from './ErrorAlert';

interface FormDialogProps {
  title: string;
  onClose: () => void;
  /** Called on submit, after the browser's own validation passed; the page does not reload. */
  onSubmit: () => void | Promise<void>;
  /** The submit action: while it is pending the submit button is disabled and shows `pendingLabel`; its error shows above the buttons. */
  action: ActionState;
  submitLabel: string;
  pendingLabel: string;
  children: ReactNode;
}

/** A dialog holding one form: its fields, the submit error, then Cancel and the submit button. */
export function FormDialog({ title, onClose, onSubmit, action, submitLabel, pendingLabel, children }: FormDialogProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit();
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {children}
        <ErrorAlert error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={action.pending}>
            {action.pending ? pendingLabel : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
