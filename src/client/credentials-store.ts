import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writePrivateFile } from './private-file.js';

/** What `flyreg login` keeps: the server and a session token (never the password). */
const storedLogin = z.object({
  url: z.url(),
  username: z.string(),
  sessionToken: z.string().min(1),
  expiresAt: z.string(),
});
export type StoredLogin = z.infer<typeof storedLogin>;

/** The login file in the user's config dir (credentials.json, mode 0600, dir 0700). */
export class CredentialsStore {
  readonly path: string;

  constructor(configDir: string) {
    this.path = join(configDir, 'credentials.json');
  }

  /** The stored login, or null when there is none. A damaged file is an error that says where it is. */
  read(): StoredLogin | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = storedLogin.safeParse(parsed);
    if (!result.success) throw new Error(`${this.path} is damaged: run \`flyreg login\` again`);
    return result.data;
  }

  /** The stored login, or an error telling the user how to log in. */
  require(): StoredLogin {
    const login = this.read();
    if (!login) throw new Error('not logged in: run `flyreg login <server url>` first');
    return login;
  }

  write(login: StoredLogin): void {
    writePrivateFile(this.path, `${JSON.stringify(login, null, 2)}\n`, { privateDir: true });
  }

  delete(): boolean {
    const existed = existsSync(this.path);
    rmSync(this.path, { force: true });
    return existed;
  }
}
