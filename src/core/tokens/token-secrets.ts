/**
 * A token's secrets (rotation with overlap, issue 18): the current one, and those a rotation replaced, each
 * working until its `retiresAt`. Usage is tracked per secret, so people can see whether an old secret is
 * still in use before its overlap ends.
 */
export interface TokenSecret {
  /** SHA-256 of the secret: the secret itself is never stored. */
  secretHash: string;
  tokenId: string;
  createdAt: Date;
  /** null = the token's current secret; else when it stops working. */
  retiresAt: Date | null;
  lastUsedAt: Date | null;
  useCount: number;
}

/** "This secret was used": coalesced in memory, written in batches (tokens/usage-recorder.ts). */
export interface SecretUsage {
  secretHash: string;
  at: Date;
  count: number;
}

/** What a rotation changes, in one transaction (the store checks the token is still as it was read). */
export interface SecretRotation {
  tokenId: string;
  /** The current secret being replaced: the rotation is refused (false) when the token no longer has it. */
  previousHash: string;
  /** When the token was first given the secret being replaced (its row may predate this table). */
  previousCreatedAt: Date;
  newHash: string;
  at: Date;
  /** When the replaced secret stops working. */
  retiresAt: Date;
  /** The token's expiry from now on. */
  expiresAt: Date | null;
}

export interface TokenSecretStore {
  /** A secret by its hash, whatever its state (the authentication lookup of a secret that is not the current one). */
  byHash(secretHash: string): Promise<TokenSecret | undefined>;
  /**
   * The secrets of these tokens, newest first per token; with `liveAt`, only those still working then (the
   * current ones and replaced ones in their overlap), leaving out the retired ones every rotation leaves behind.
   */
  listFor(tokenIds: readonly string[], liveAt?: Date): Promise<TokenSecret[]>;
  /**
   * Makes `newHash` the token's current secret, retires the previous one at `retiresAt` and sets the new
   * expiry, only if the token is unrevoked and its current secret is still `previousHash`. Returns whether it did.
   */
  rotate(rotation: SecretRotation): Promise<boolean>;
  /** Latest use wins whatever order batches land in; counts add up. A secret deleted meanwhile is skipped. */
  recordUsage(batch: readonly SecretUsage[]): Promise<void>;
}
