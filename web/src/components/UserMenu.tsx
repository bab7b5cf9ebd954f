import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from '../router/router';
import { Avatar } from './Avatar';

interface UserMenuProps {
  username: string;
  role: string;
  onLogout: () => void;
}

/** The avatar button and its menu: Token Management, profile, log out. Arrow keys move, Escape closes. */
export function UserMenu({ username, role, onLogout }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  const items = () => Array.from(rootRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const close = () => setOpen(false);

  return (
    <div className="user-menu" ref={rootRef} onKeyDown={open ? onMenuKey : undefined}>
      <button
        ref={buttonRef}
        type="button"
        className="avatar-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Account menu for ${username}`}
        onClick={() => setOpen((v) => !v)}
      >
        <Avatar name={username} />
      </button>
      {open ? (
        <div className="menu" id={menuId} role="menu" aria-label="Account">
          <div className="menu-header" role="presentation">
            <strong>{username}</strong>
            <span>{role === 'admin' ? 'Administrator' : 'Developer'}</span>
          </div>
          <Link to="/tokens" role="menuitem" className="menu-item" onClick={close}>
            Token Management
          </Link>
          <Link to="/profile" role="menuitem" className="menu-item" onClick={close}>
            Your profile
          </Link>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              close();
              onLogout();
            }}
          >
            Log out
          </button>
        </div>
      ) : null}
    </div>
  );
}
