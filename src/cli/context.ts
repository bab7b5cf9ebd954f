import type { ClientEnvironment } from '../client/client-environment.js';
import { CredentialsStore, type StoredLogin } from '../client/credentials-store.js';
import { HttpTransport } from '../client/http-transport.js';
import { RegistryClient } from '../client/registry-client.js';

/** What every client command needs: the surroundings read in the entry point, and the stored login. */
export class CliContext {
  readonly credentials: CredentialsStore;

  constructor(
    readonly env: ClientEnvironment,
    readonly userAgent: string,
  ) {
    this.credentials = new CredentialsStore(env.configDir);
  }

  /** A client for a server, authenticated by `bearer` (a session or a registry token) when given. */
  clientFor(url: string, bearer: string | null): RegistryClient {
    return new RegistryClient(new HttpTransport(new URL(url), bearer, this.userAgent, this.env.requestTimeoutMs));
  }

  /** The logged-in client; throws "not logged in" when there is no stored login. */
  session(): { client: RegistryClient; login: StoredLogin } {
    const login = this.credentials.require();
    return { client: this.clientFor(login.url, login.sessionToken), login };
  }
}

/** The `--json` switch every client command has. */
export interface JsonOption {
  json?: boolean;
}
