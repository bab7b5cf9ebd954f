import type { Command } from 'commander';
import { ApiError } from '../../client/transport.js';
import type { CliContext, JsonOption } from '../context.js';
import { printJson, printLine } from '../output.js';
import { ask, askHidden, isInteractive, readStdin } from '../prompt.js';

interface LoginOptions extends JsonOption {
  username?: string;
  passwordStdin?: boolean;
}

/** `flyreg login`, `logout`, `whoami`: the session the other client commands act with. */
export function registerLogin(program: Command, cli: CliContext): void {
  program
    .command('login')
    .description(
      'log in to a Fly Registry server and keep the session in your config dir (credentials.json, mode 0600): ' +
        'prints a URL and a code to approve in the browser, or takes a username and password with --username / --password-stdin',
    )
    .argument('[url]', 'the server, e.g. https://registry.example.com (default: the one you last logged in to)')
    .option('--username <name>', 'log in with your username and password instead of the browser (the password is asked on a terminal)')
    .option('--password-stdin', 'read the password from standard input (for scripts; never put it on the command line)')
    .option('--json', 'print the result as JSON')
    .action(async (urlArgument: string | undefined, options: LoginOptions) => {
      const url = serverUrl(urlArgument ?? cli.credentials.read()?.url);
      if (options.username === undefined && !options.passwordStdin) return browserLogin(cli, url, options);
      const username = options.username ?? (isInteractive() ? await ask('Username: ') : '');
      if (!username) throw new Error('no username: pass --username (with --password-stdin when not on a terminal)');
      let password: string;
      if (options.passwordStdin) password = await readStdin();
      else if (isInteractive()) password = await askHidden('Password: ');
      else throw new Error('no terminal to ask for the password: pipe it in with --password-stdin');

      const answer = await cli.clientFor(url, null).login(username, password);
      await keepSession(cli, url, answer.sessionToken, answer.expiresAt, options);
    });

  program
    .command('logout')
    .description('end the session on the server and delete the stored login')
    .option('--json', 'print the result as JSON')
    .action(async (options: JsonOption) => {
      const login = cli.credentials.read();
      if (!login) {
        if (options.json) return printJson({ loggedOut: false, reason: 'not logged in' });
        return printLine('Not logged in.');
      }
      let serverSide = 'ended';
      try {
        await cli.clientFor(login.url, login.sessionToken).logout();
      } catch (error) {
        // A session the server no longer knows is as good as ended; anything else is worth saying.
        if (!(error instanceof ApiError && error.status === 401)) {
          cli.credentials.delete();
          throw new Error(`deleted the stored login, but the server did not end the session: ${(error as Error).message}`);
        }
        serverSide = 'already ended';
      }
      cli.credentials.delete();
      if (options.json) return printJson({ loggedOut: true, url: login.url, username: login.username, session: serverSide });
      printLine(`Logged out of ${login.url} (session ${serverSide}); deleted ${cli.credentials.path}`);
    });

  program
    .command('whoami')
    .description('who you are logged in as, on which server, and what you may do')
    .option('--json', 'print the result as JSON')
    .action(async (options: JsonOption) => {
      const { client, login } = cli.session();
      const who = await client.whoami();
      // The tokens this user created that expire soon: whoami is where people look before they are refused.
      const expiringSoon = who.can.manageTokens
        ? (await client.listTokens()).filter((t) => t.expiringSoon && t.createdBy === who.user.username).map(({ id, name, username, expiresAt }) => ({ id, name, username, expiresAt }))
        : [];
      if (options.json) return printJson({ url: login.url, ...who, expiringSoon });
      const rights = Object.entries(who.can)
        .filter(([, allowed]) => allowed)
        .map(([right]) => right);
      printLine(`${who.user.username} (${who.user.role}) at ${login.url}; may: ${rights.join(', ') || 'nothing'}`);
      for (const t of expiringSoon) printLine(`Expiring soon: token ${t.name} (${t.username}) expires ${t.expiresAt ?? 'never'}: flyreg token rotate ${t.id}`);
    });
}

function serverUrl(text: string | undefined): string {
  if (!text) throw new Error('which server? pass its URL: flyreg login https://registry.example.com');
  const candidate = /^https?:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new Error(`not a server URL: ${text}`);
  }
  if (url.username || url.password) throw new Error('put no credentials in the server URL');
  return url.href.replace(/\/$/, '');
}

/** Stores the new session, ends the one it replaces, and says who is logged in. */
async function keepSession(cli: CliContext, url: string, sessionToken: string, expiresAt: string, options: JsonOption): Promise<void> {
  const previous = cli.credentials.read();
  const who = await cli.clientFor(url, sessionToken).whoami();
  cli.credentials.write({ url, username: who.user.username, sessionToken, expiresAt });
  // The session being replaced is of no further use: end it on its server rather than leave it valid.
  if (previous && previous.sessionToken !== sessionToken) {
    await cli.clientFor(previous.url, previous.sessionToken).logout().catch(() => undefined);
  }
  const result = { url, username: who.user.username, role: who.user.role, expiresAt, credentialsFile: cli.credentials.path };
  if (options.json) return printJson(result);
  printLine(`Logged in to ${url} as ${result.username} (${result.role}); session valid until ${expiresAt}, kept in ${cli.credentials.path}`);
}

/** Why a browser login ended without a session, as the person should read it. */
const BROWSER_LOGIN_ENDED: Record<number, string> = {
  403: 'the login was denied in the browser',
  409: 'this login request was already used: run flyreg login again',
  410: 'the login request expired before it was approved: run flyreg login again',
};

/**
 * `flyreg login <url>`: opens a login request, prints where to approve it and the code to compare, and polls
 * until the person approves it in the dashboard (signing in there first if need be). No password is typed
 * into the terminal.
 */
async function browserLogin(cli: CliContext, url: string, options: JsonOption): Promise<void> {
  const client = cli.clientFor(url, null);
  const started = await client.startCliLogin(cli.env.hostname);
  // On stderr, so --json output stays one document; the person needs it either way.
  process.stderr.write(`Open ${started.loginUrl} in your browser and approve the login.\nCode: ${started.code} (check that the page shows the same)\nWaiting…\n`);
  const deadline = new Date(started.expiresAt).getTime();
  for (;;) {
    let poll;
    try {
      poll = await client.pollCliLogin(started.id, started.pollSecret);
    } catch (error) {
      const reason = error instanceof ApiError ? BROWSER_LOGIN_ENDED[error.status] : undefined;
      throw reason ? new Error(reason) : error;
    }
    if (poll.state === 'approved') return keepSession(cli, url, poll.sessionToken, poll.expiresAt, options);
    if (Date.now() > deadline) throw new Error(BROWSER_LOGIN_ENDED[410]);
    await new Promise((resolve) => setTimeout(resolve, poll.retryAfterSeconds * 1000));
  }
}
