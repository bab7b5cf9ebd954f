import { useEffect, type ReactNode } from 'react';
import { TopBar } from './components/TopBar';
import { AuditPage } from './pages/audit/AuditPage';
import { TrustPoliciesPage } from './pages/oidc/TrustPoliciesPage';
import { ComparePage } from './pages/environments/ComparePage';
import { EnvironmentPage } from './pages/environments/EnvironmentPage';
import { EnvironmentsPage } from './pages/environments/EnvironmentsPage';
import { InvitePage } from './pages/invite/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NpmLoginPage } from './pages/npm-login/NpmLoginPage';
import { PackagePage } from './pages/packages/PackagePage';
import { PackagesPage } from './pages/packages/PackagesPage';
import { ProfilePage } from './pages/profile/ProfilePage';
import { ReleasePage } from './pages/releases/ReleasePage';
import { ReleasesPage } from './pages/releases/ReleasesPage';
import { ShareLinksPage } from './pages/share-links/ShareLinksPage';
import { TeamPage } from './pages/team/TeamPage';
import { TokensPage } from './pages/tokens/TokensPage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { matchPath, navigate, useLocation } from './router/router';
import { useSession } from './session/session';
import type { Whoami } from './api/types';

interface Route {
  path: string;
  title: string;
  adminOnly?: boolean;
  render: (params: Record<string, string>) => ReactNode;
}

/** The signed-in pages. Admin-only pages explain themselves to developers instead of failing. */
const ROUTES: Route[] = [
  { path: '/tokens', title: 'Token Management', render: () => <TokensPage /> },
  { path: '/packages', title: 'Packages', render: () => <PackagesPage /> },
  {
    path: '/packages/:protocol/:name',
    title: 'Package',
    render: ({ protocol = '', name = '' }) => <PackagePage key={`${protocol}/${name}`} protocol={protocol} name={name} />,
  },
  { path: '/environments', title: 'Environments', render: () => <EnvironmentsPage /> },
  // Before /environments/:name, so "compare" is never taken for an environment's name.
  { path: '/environments/compare', title: 'Compare environments', render: () => <ComparePage /> },
  { path: '/environments/:name', title: 'Environment', render: ({ name = '' }) => <EnvironmentPage key={name} name={name} /> },
  { path: '/releases', title: 'Releases', render: () => <ReleasesPage /> },
  { path: '/releases/:id', title: 'Release', render: ({ id = '' }) => <ReleasePage key={id} id={id} /> },
  { path: '/share-links', title: 'Share links', render: () => <ShareLinksPage /> },
  { path: '/team', title: 'Team', adminOnly: true, render: () => <TeamPage /> },
  { path: '/ci', title: 'CI trust policies', render: () => <TrustPoliciesPage /> },
  { path: '/audit', title: 'Audit log', adminOnly: true, render: () => <AuditPage /> },
  { path: '/webhooks', title: 'Webhooks', adminOnly: true, render: () => <WebhooksPage /> },
  { path: '/profile', title: 'Your profile', render: () => <ProfilePage /> },
  // Where `npm login` sends a person; signed out, the login page shows first and this page after it.
  { path: '/npm-login/:id', title: 'npm login', render: ({ id = '' }) => <NpmLoginPage key={id} id={id} /> },
  { path: '/cli-login/:id', title: 'flyreg login', render: ({ id = '' }) => <NpmLoginPage key={id} id={id} /> },
];

function AdminOnly() {
  return (
    <div className="empty-page">
      <h1>Admins only</h1>
      <p>This page is for administrators. Ask an admin of your team if you need something changed.</p>
    </div>
  );
}

function SignedIn({ me, pathname }: { me: Whoami; pathname: string }) {
  const { logout } = useSession();
  let page: ReactNode = <NotFoundPage />;
  let title = 'Not found';
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    title = route.title;
    page = route.adminOnly && me.user.role !== 'admin' ? <AdminOnly /> : route.render(params);
    break;
  }
  useEffect(() => {
    document.title = `${title} · Fly Registry`;
  }, [title]);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar me={me} onLogout={() => void logout()} />
      <main id="main" className="page" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

export function App() {
  const { state } = useSession();
  const { pathname } = useLocation();

  // The dashboard's home is Token Management; the login page lives at / for anyone signed out.
  useEffect(() => {
    if (state.status === 'signed-in' && (pathname === '/' || pathname === '/login')) navigate('/tokens', { replace: true });
  }, [state.status, pathname]);

  const invite = matchPath('/invite/:token', pathname);
  if (invite?.token) return <InvitePage token={invite.token} />;

  switch (state.status) {
    case 'loading':
      return <div className="splash" aria-busy="true" aria-label="Loading" />;
    case 'unreachable':
      return (
        <main className="auth-page">
          <div className="auth-card">
            <h1>Fly Registry is not answering</h1>
            <p className="alert alert-error" role="alert">
              {state.message}
            </p>
            <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
              Try again
            </button>
          </div>
        </main>
      );
    case 'anonymous':
      return <LoginPage notice={state.notice} />;
    case 'signed-in':
      return <SignedIn me={state.me} pathname={pathname} />;
  }
}
