import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * An OIDC issuer on loopback, as a CI provider runs one: its own key pair, a discovery document and a JWKS.
 * rotate() replaces the published key (the old one is kept to sign tokens a test expects to be refused).
 */
export class TestOidcIssuer {
  private current!: SigningKey;
  retired: SigningKey | null = null;
  /** How many times the JWKS was fetched, to see the registry cache it. */
  jwksFetches = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestOidcIssuer> {
    // The handler needs the issuer, which needs the server's port: filled in once it listens.
    const started: { issuer?: TestOidcIssuer } = {};
    const server = createServer((req, res) => {
      const issuer = started.issuer;
      if (!issuer) return res.writeHead(503).end();
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ issuer: issuer.url, jwks_uri: `${issuer.url}/.well-known/jwks`, id_token_signing_alg_values_supported: ['RS256'] }));
      }
      if (req.url === '/.well-known/jwks') {
        issuer.jwksFetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ keys: [issuer.current.publicJwk] }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new TestOidcIssuer(server, `http://127.0.0.1:${port}`);
    issuer.current = await newKey();
    started.issuer = issuer;
    return issuer;
  }

  async rotate(): Promise<void> {
    this.retired = this.current;
    this.current = await newKey();
  }

  /**
   * An ID token shaped like GitHub Actions' (claims as GitHub documents them), valid for 5 minutes from
   * now; `claims` overrides or adds claims (`exp`/`iat` in seconds), `key` signs with another key.
   */
  async sign(claims: JWTPayload = {}, options: { key?: SigningKey; issuer?: string } = {}): Promise<string> {
    const key = options.key ?? this.current;
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      jti: randomUUID(),
      sub: 'repo:acme/shop:ref:refs/tags/v1.4.0',
      aud: 'fly-registry',
      ref: 'refs/tags/v1.4.0',
      sha: '3f786850e387550fdab836ed7e6dc881de23001b',
      repository: 'acme/shop',
      repository_owner: 'acme',
      actor: 'dana',
      workflow: 'release',
      event_name: 'push',
      ref_type: 'tag',
      run_id: '8812345',
      run_number: '41',
      run_attempt: '1',
      iss: options.issuer ?? this.url,
      nbf: now - 5,
      iat: now - 5,
      exp: now + 300,
      ...claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
