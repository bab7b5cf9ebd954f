/**
 * Values per client (a token id and an address) and repository. Nested maps rather than one map on a joined
 * key: a lookup on every manifest request then builds no key string.
 */
export class ClientRepositoryMap<T> {
  private readonly byToken = new Map<string, Map<string, Map<string, T>>>();

  get(tokenId: string, ip: string | null, repository: string): T | undefined {
    return this.byToken.get(tokenId)?.get(ip ?? '')?.get(repository);
  }

  set(tokenId: string, ip: string | null, repository: string, value: T): void {
    let byAddress = this.byToken.get(tokenId);
    if (!byAddress) this.byToken.set(tokenId, (byAddress = new Map()));
    let byRepository = byAddress.get(ip ?? '');
    if (!byRepository) byAddress.set(ip ?? '', (byRepository = new Map()));
    byRepository.set(repository, value);
  }

  /** Removes the entry only while it still holds `value` (a newer one may have replaced it). */
  deleteIf(tokenId: string, ip: string | null, repository: string, value: T): void {
    const byAddress = this.byToken.get(tokenId);
    const byRepository = byAddress?.get(ip ?? '');
    if (!byAddress || !byRepository || byRepository.get(repository) !== value) return;
    byRepository.delete(repository);
    if (byRepository.size > 0) return;
    byAddress.delete(ip ?? '');
    if (byAddress.size === 0) this.byToken.delete(tokenId);
  }

  /** Removes every entry the predicate selects, and the clients left with none. */
  deleteWhere(predicate: (value: T) => boolean): void {
    for (const [tokenId, byAddress] of this.byToken) {
      for (const [ip, byRepository] of byAddress) {
        for (const [repository, value] of byRepository) if (predicate(value)) byRepository.delete(repository);
        if (byRepository.size === 0) byAddress.delete(ip);
      }
      if (byAddress.size === 0) this.byToken.delete(tokenId);
    }
  }
}
