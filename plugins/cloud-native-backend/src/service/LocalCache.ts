/**
 * A small in-process cache with a time to live per entry and a bound on the
 * number of entries (the oldest inserted goes first). Values may be promises,
 * so that concurrent requests for the same key share one lookup; the caller
 * removes a promise that rejects (see {@link LocalCache.deleteIfSame}).
 *
 * It is deliberately per process: what it holds (parsed reports, catalog
 * answers per caller) is either already in the shared CacheService or only
 * valid for the caller who asked.
 *
 * @internal
 */
export class LocalCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number, now = Date.now()): void {
    if (!(ttlMs > 0) || this.maxEntries < 1) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Removes the entry of `key` if it still holds `value`. */
  deleteIfSame(key: string, value: V): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
