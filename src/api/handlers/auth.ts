import type { LoggedOut, LoginAnswer, Whoami } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { userAnswer } from '../serialize.js';
import { SESSION_COOKIE } from '../../http/credentials.js';
import { csrfTokenFor, loginInput } from '../../core/users/session-service.js';
import { Errors } from '../../core/errors.js';
import { isAllowed } from '../../core/auth/authorize.js';
import type { TokenIdentity } from '../../core/model.js';

export const authRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    summary: 'Log in with username and password: returns a session token and sets the session cookie',
    auth: 'public',
    body: loginInput,
    async handler({ core, request, reply, ctx, secureCookies }): Promise<LoginAnswer> {
      const result = await core.sessions.login(request.body, ctx);
      void reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        expires: result.expiresAt,
      });
      return { user: userAnswer(result.user), sessionToken: result.sessionToken, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    summary: 'Revoke the current session',
    auth: 'principal',
    async handler({ core, principal, reply, ctx }): Promise<LoggedOut> {
      await core.sessions.logout(principal, ctx);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { loggedOut: true };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/whoami',
    summary: 'Who the credential (session or registry token) belongs to and what it may do',
    auth: 'principal',
    async handler({ core, principal, request }): Promise<Whoami> {
      const artifact = { kind: 'artifact', protocol: 'oci', name: '*' } as const;
      const cookieSecret = principal.session?.viaCookie ? request.cookies[SESSION_COOKIE] : undefined;
      if (principal.session?.viaCookie && !cookieSecret) throw Errors.sessionInvalid();
      return {
        kind: principal.kind,
        user: principal.user,
        token: principal.token && whoamiToken(principal.token, core.tokens.expiringSoon(principal.token.expiresAt)),
        permission: principal.permission,
        environmentId: principal.environmentId,
        can: {
          pull: isAllowed(principal, 'pull', artifact),
          push: isAllowed(principal, 'push', artifact),
          delete: isAllowed(principal, 'delete', artifact),
          manageTokens: isAllowed(principal, 'push', { kind: 'tokens' }),
          manageUsers: isAllowed(principal, 'manage', { kind: 'users' }),
        },
        ...(cookieSecret ? { csrfToken: csrfTokenFor(cookieSecret) } : {}),
      };
    },
  },
];

/** The token part of whoami: its identity, expiry and, for a secret a rotation replaced, when that secret stops. */
function whoamiToken(t: TokenIdentity, expiringSoon: boolean): NonNullable<Whoami['token']> {
  return {
    id: t.id,
    name: t.name,
    username: t.username,
    permission: t.permission,
    environmentId: t.environmentId,
    expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null,
    expiringSoon,
    secretRetiresAt: t.secretRetiresAt ? t.secretRetiresAt.toISOString() : null,
    scope: t.scope ?? null,
  };
}
