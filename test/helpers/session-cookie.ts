import { afterAll, beforeAll } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/credentials.js';
import { startServer, type TestServer } from './server.js';

/** A browser's login: the session cookie Fly Web holds and the CSRF token its writes send. */
export interface BrowserSession {
  cookie: string;
  csrfToken: string;
}

/** Logs in as the admin the way Fly Web does and keeps the session cookie from Set-Cookie. */
export async function browserSession(server: TestServer): Promise<BrowserSession> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.admin),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('login set no session cookie');
  return { cookie: cookie.split(';')[0] ?? '', csrfToken };
}

/**
 * A server for the describe block it is called in, and the admin's browser session on it (the session
 * cookie tests of every protocol start this way).
 */
export function serverWithBrowserSession(): { server: () => TestServer; session: () => BrowserSession } {
  let server: TestServer | undefined;
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    server = await startServer();
    session = await browserSession(server);
  });
  afterAll(() => server?.stop());
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the server did not start');
    return value;
  };
  return { server: () => need(server), session: () => need(session) };
}

/**
 * The headers a cross-site request from any web page carries for a logged-in user (the cookie only), or,
 * with `csrf`, what only Fly Web's own pages can send.
 */
export function cookieHeaders(session: BrowserSession, csrf: boolean): Record<string, string> {
  return csrf ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : { cookie: session.cookie };
}
