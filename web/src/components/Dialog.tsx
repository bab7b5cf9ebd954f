import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Wide dialogs hold code snippets. */
  wide?: boolean;
  /** Labels the dialog for assistive technology when the title alone is not enough. */
  description?: string;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, makes the page behind inert and
 * closes on Escape. Mount it to open it; unmount it to close it.
 */
export function Dialog({ title, onClose, children, wide, description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const previousFocus = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    previousFocus.current = document.activeElement;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      // Give keyboard users their place back on the page.
      if (previousFocus.current instanceof HTMLElement) previousFocus.current.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {description ? (
        <p id={descriptionId} className="dialog-description">
          {description}
        </p>
      ) : null}
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
