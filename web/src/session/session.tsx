import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, onSessionLost } from '../api/client';
import { fetchWhoami, logIn, logOut } from '../api/endpoints';
import type { Whoami } from '../api/types';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; notice?: string }
  | { status: 'signed-in'; me: Whoami }
  | { status: 'unreachable'; message: string };

interface SessionApi {
  state: SessionState;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

/** Who is signed in, from GET /api/v1/whoami over the HttpOnly session cookie. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      setState({ status: 'signed-in', me: await fetchWhoami() });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setState({ status: 'anonymous' });
      else setState({ status: 'unreachable', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onSessionLost(() => setState({ status: 'anonymous', notice: 'Your session has ended. Log in again to continue.' }));
  }, [refresh]);

  const login = useCallback(
    async (username: string, password: string) => {
      await logIn(username, password);
      await refresh();
    },
    [refresh],
  );

  const logout = useCallback(async () => {
    try {
      await logOut();
    } finally {
      setState({ status: 'anonymous', notice: 'You are logged out.' });
    }
  }, []);

  return <SessionContext.Provider value={{ state, login, logout, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}

/** The signed-in user; only used by pages rendered behind the login gate. */
export function useMe(): Whoami {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe on a page shown without a session');
  return state.me;
}
