import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { previewScope } from '../../api/scopes';
import type { ScopePreview } from '../../api/types';

/** What the form holds: the whole registry, or the patterns typed one per line. */
export interface ScopeChoice {
  kind: 'all' | 'patterns';
  text: string;
}

/** The patterns the API gets (`["oci:team/*", …]`), or undefined for the whole registry. */
export function scopeOf(choice: ScopeChoice): string[] | undefined {
  if (choice.kind === 'all') return undefined;
  return patternLines(choice.text);
}

const patternLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** Waits this long after the last keystroke before asking the server for the preview. */
const PREVIEW_DELAY_MS = 300;

/**
 * "All repositories" or patterns per protocol (`oci:team/*`, `npm:@acme/*`), with a live preview of the
 * existing repositories and packages each pattern matches, as the server resolves them (so what is shown
 * is what the token will reach, spelled as the protocol spells names).
 */
export function ScopeField({ value, onChange }: { value: ScopeChoice; onChange: (v: ScopeChoice) => void }) {
  const [preview, setPreview] = useState<ScopePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const lines = value.kind === 'patterns' ? patternLines(value.text) : [];
  const key = lines.join('\n');

  useEffect(() => {
    if (lines.length === 0) {
      setPreview(null);
      setProblem(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      previewScope(lines).then(
        (answer) => {
          if (!current) return;
          setPreview(answer);
          setProblem(null);
        },
        (error: unknown) => {
          if (!current) return;
          setPreview(null);
          setProblem(error instanceof ApiError ? error.message : String(error));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` stands for the lines: a new array each render, the same patterns.
  }, [key]);

  return (
    <fieldset className="field">
      <legend>Repositories</legend>
      <div className="choice-group">
        <label className="choice">
          <input type="radio" name="token-scope" value="all" checked={value.kind === 'all'} onChange={() => onChange({ ...value, kind: 'all' })} />
          <span>
            <strong>All repositories</strong>
            <small>Every image and package, of every protocol</small>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="token-scope" value="patterns" checked={value.kind === 'patterns'} onChange={() => onChange({ ...value, kind: 'patterns' })} />
          <span>
            <strong>Only matching</strong>
            <small>Images and packages matching patterns, per protocol</small>
          </span>
        </label>
      </div>
      {value.kind === 'patterns' ? (
        <div className="field">
          <label htmlFor="token-scope-patterns">Patterns, one per line</label>
          <textarea
            id="token-scope-patterns"
            rows={3}
            value={value.text}
            onChange={(e) => onChange({ ...value, text: e.target.value })}
            placeholder={'oci:team/*\nnpm:@acme/*\npypi:acme-*'}
            aria-describedby="token-scope-hint"
            required
          />
          <p id="token-scope-hint" className="field-hint">
            <code>protocol:name</code>, or a prefix ending in <code>*</code>: <code>oci:team/*</code>, <code>npm:@acme/*</code>, <code>pypi:acme-*</code>,{' '}
            <code>maven:com.acme.*</code>.
          </p>
          {problem ? (
            <p className="field-error" role="alert">
              {problem}
            </p>
          ) : null}
          {preview ? (
            <ul className="scope-preview" aria-label="Matching repositories" aria-live="polite">
              {preview.matches.map((m) => (
                <li key={m.entry}>
                  <code>{m.entry}</code>{' '}
                  {m.names.length === 0 ? (
                    <span className="muted">matches nothing yet</span>
                  ) : (
                    <span>
                      {m.names.join(', ')}
                      {m.more ? ', …' : ''}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}
