#!/usr/bin/env node
import { homedir, hostname } from 'node:os';
import { clientEnvironment } from '../client/client-environment.js';
import type { StoredLogin } from '../client/credentials-store.js';
import { CliContext } from './context.js';
import { readStdin } from './prompt.js';
import { packageVersion } from './version.js';

/**
 * `docker-credential-flyreg`: Docker's credential-helper protocol (get, store, erase, list) over the
 * `flyreg login` session. `get` answers with the session's short-lived registry token, which the server
 * derives from the session each time (the same token until shortly before it expires), so no registry
 * token is ever written to disk; `store` keeps nothing; `erase` revokes the session's helper tokens.
 */
const cli = new CliContext(clientEnvironment(process.env, homedir(), hostname(), process.cwd()), `docker-credential-flyreg/${packageVersion()}`);

/** `registry.example.com:5000` from whatever form a client sends (a bare host, a URL, a URL with a path). */
function hostOf(serverUrl: string): string {
  const text = serverUrl.trim();
  try {
    return new URL(text.includes('://') ? text : `https://${text}`).host;
  } catch {
    return text;
  }
}

/**
 * The stored login when it is for this registry: the host logged in to, or the registry host that server
 * announces (its public URL may name the host differently); null otherwise, and the client goes on without.
 */
async function loginFor(serverUrl: string): Promise<StoredLogin | null> {
  const login = cli.credentials.read();
  if (!login) return null;
  const wanted = hostOf(serverUrl);
  if (hostOf(login.url) === wanted) return login;
  const endpoints = await cli.clientFor(login.url, null).endpoints();
  return hostOf(endpoints.docker.registry) === wanted ? login : null;
}

/** Docker's helpers answer an unknown registry with exactly this message (and a failure status). */
const NOT_FOUND = 'credentials not found in native keychain';

async function main(action: string | undefined): Promise<void> {
  switch (action) {
    case 'get': {
      const serverUrl = (await readStdin()).trim();
      const login = await loginFor(serverUrl);
      if (!login) throw new Error(NOT_FOUND);
      const answer = await cli.clientFor(login.url, login.sessionToken).helperToken(cli.env.hostname);
      process.stdout.write(`${JSON.stringify({ ServerURL: serverUrl, Username: answer.username, Secret: answer.token })}\n`);
      return;
    }
    case 'store':
      // `docker login` hands over what it was given: nothing is kept, the session is the only credential.
      await readStdin();
      return;
    case 'erase': {
      const login = await loginFor((await readStdin()).trim());
      if (login) await cli.clientFor(login.url, login.sessionToken).revokeHelperTokens();
      return;
    }
    case 'list': {
      const login = cli.credentials.read();
      process.stdout.write(`${JSON.stringify(login ? { [hostOf(login.url)]: login.username } : {})}\n`);
      return;
    }
    case 'version':
      process.stdout.write(`docker-credential-flyreg ${packageVersion()}\n`);
      return;
    default:
      throw new Error('usage: docker-credential-flyreg get|store|erase|list (the server URL or credentials on standard input)');
  }
}

main(process.argv[2]).catch((error: unknown) => {
  // The protocol reads the failure from standard output.
  process.stdout.write(`${error instanceof Error ? error.message.replace(/\s*\n\s*/g, ' ') : String(error)}\n`);
  process.exit(1);
});
