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
    .description('log in to a Fly Registry server and keep the session in your config dir (credentials.json, mode 0600)')
    .argument('[url]', 'the server, e.g. https://registry.example.com (default: the one you last logged in to)')
    .option('--username <name>', 'your username (asked for on a terminal when missing)')
    .option('--password-stdin', 'read the password from standard input (for scripts; never put it on the command line)')
    .option('--json', 'print the result as JSON')
    .action(async (urlArgument: string | undefined, options: LoginOptions) => {
      const url = serverUrl(urlArgument ?? cli.credentials.read()?.url);
      const username = options.username ?? (isInteractive() ? await ask('Username: ') : '');
      if (!username) throw new Error('no username: pass --username (with --password-stdin when not on a terminal)');
      let password: string;
      if (options.passwordStdin) password = await readStdin();
      else if (isInteractive()) password = await askHidden('Password: ');
      else throw new Error('no terminal to ask for the password: pipe it in with --password-stdin');

      const previous = cli.credentials.read();
      const answer = await cli.clientFor(url, null).login(username, password);
      cli.credentials.write({ url, username: answer.user.username, sessionToken: answer.sessionToken, expiresAt: answer.expiresAt });
      // The session being replaced is of no further use: end it on its server rather than leave it valid.
      if (previous && previous.sessionToken !== answer.sessionToken) {
        await cli.clientFor(previous.url, previous.sessionToken).logout().catch(() => undefined);
      }
      const result = { url, username: answer.user.username, role: answer.user.role, expiresAt: answer.expiresAt, credentialsFile: cli.credentials.path };
      if (options.json) return printJson(result);
      printLine(`Logged in to ${url} as ${result.username} (${result.role}); session valid until ${answer.expiresAt}, kept in ${cli.credentials.path}`);
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
      if (options.json) return printJson({ url: login.url, ...who });
      const rights = Object.entries(who.can)
        .filter(([, allowed]) => allowed)
        .map(([right]) => right);
      printLine(`${who.user.username} (${who.user.role}) at ${login.url}; may: ${rights.join(', ') || 'nothing'}`);
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
