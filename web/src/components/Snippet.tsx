import { CopyButton } from './CopyButton';

/** A titled block of text to paste somewhere, with its own Copy button. */
export function Snippet({ title, text, hint }: { title: string; text: string; hint?: string }) {
  return (
    <section className="snippet" aria-label={title}>
      <div className="snippet-header">
        <h3>{title}</h3>
        <CopyButton text={text} describe={`Copy ${title}`} />
      </div>
      {hint ? <p className="snippet-hint">{hint}</p> : null}
      <pre tabIndex={0}>
        <code>{text.trimEnd()}</code>
      </pre>
    </section>
  );
}
