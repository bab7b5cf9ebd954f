import type { Whoami } from '../api/types';
import { Link, useLocation } from '../router/router';
import { UserMenu } from './UserMenu';

export interface NavItem {
  to: string;
  label: string;
  adminOnly?: boolean;
}

/** The sections of the dashboard, in the order people use them. */
export const NAV_ITEMS: NavItem[] = [
  { to: '/tokens', label: 'Tokens' },
  { to: '/packages', label: 'Packages' },
  { to: '/environments', label: 'Environments' },
  { to: '/releases', label: 'Releases' },
  { to: '/ci', label: 'CI access' },
  { to: '/share-links', label: 'Share links' },
  { to: '/team', label: 'Team', adminOnly: true },
  { to: '/audit', label: 'Audit log', adminOnly: true },
  { to: '/webhooks', label: 'Webhooks', adminOnly: true },
];

export function TopBar({ me, onLogout }: { me: Whoami; onLogout: () => void }) {
  const { pathname } = useLocation();
  const items = NAV_ITEMS.filter((item) => !item.adminOnly || me.user.role === 'admin');
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link to="/tokens" className="brand" aria-label="Fly Registry home">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Fly Registry</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {items.map((item) => {
            const current = pathname === item.to || pathname.startsWith(`${item.to}/`);
            return (
              <Link key={item.to} to={item.to} className={current ? 'nav-link nav-link-current' : 'nav-link'} aria-current={current ? 'page' : undefined}>
                {item.label}
              </Link>
            );
          })}
        </nav>
        <UserMenu username={me.user.username} role={me.user.role} onLogout={onLogout} />
      </div>
    </header>
  );
}
