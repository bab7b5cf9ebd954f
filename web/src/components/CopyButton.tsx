import { useEffect, useState } from 'react';

/** Copies with the Clipboard API, or via a selected hidden field where that API is unavailable (plain http). */
async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* fall through to the selection route */
    }
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'offscreen';
  // Inside an open modal dialog only the dialog is interactive, so the field goes there.
  (document.querySelector('dialog[open]') ?? document.body).appendChild(field);
  field.select();
  // execCommand is deprecated but is the only copy route on pages served over plain http.
  const copied = document.execCommand('copy');
  field.remove();
  return copied;
}

interface CopyButtonProps {
  text: string;
  label?: string;
  /** What is copied, for screen readers: "Copy the token". */
  describe?: string;
  primary?: boolean;
}

export function CopyButton({ text, label = 'Copy', describe, primary }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className={primary ? 'button button-primary button-small' : 'button button-small'}
      aria-label={describe}
      onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
    >
      {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Select and copy manually' : label}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
    </button>
  );
}
