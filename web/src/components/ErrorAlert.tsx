import type { ApiError } from '../api/client';

/** The API's own message, in a box a screen reader announces; field issues listed under it. */
export function ErrorAlert({ error, title }: { error: ApiError | null; title?: string }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {error.message}
      {error.issues.length > 0 ? (
        <ul>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
