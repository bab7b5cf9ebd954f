import type { InputHTMLAttributes, ReactNode } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'aria-describedby'> {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input, which screen readers announce it with (its id is `${id}-hint`). */
  hint?: ReactNode;
}

/** A labelled form input with an optional hint; other input attributes (pattern, required…) pass through. */
export function TextField({ id, label, value, onChange, hint, ...input }: TextFieldProps) {
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? hintId : undefined} {...input} />
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
