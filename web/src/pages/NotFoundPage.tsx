import { Link } from '../router/router';

export function NotFoundPage() {
  return (
    <div className="empty-page">
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link to="/tokens" className="button button-primary">
        Go to Token Management
      </Link>
    </div>
  );
}
