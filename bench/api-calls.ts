import type { CreatedToken, Permission } from '../src/api/answers.js';

/** POSTs JSON (with a session as Bearer, when given) and returns the decoded answer; throws on a non-2xx. */
export async function postJson<T>(url: string, body: unknown, bearer?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface AdminSession {
  sessionToken: string;
  /** A token of the admin's that never expires. */
  createToken(name: string, permission: Permission): Promise<CreatedToken>;
}

/** Logs the first admin in on a benchmark's server: the session the sections set their tokens up with. */
export async function adminSession(url: string, admin: { username: string; password: string }): Promise<AdminSession> {
  const { sessionToken } = await postJson<{ sessionToken: string }>(`${url}/api/v1/auth/login`, admin);
  return {
    sessionToken,
    createToken: (name, permission) => postJson<CreatedToken>(`${url}/api/v1/tokens`, { name, permission, expiresAt: null }, sessionToken),
  };
}
