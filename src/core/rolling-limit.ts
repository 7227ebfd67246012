/**
 * At most `limit` accepted per key in any span of `windowMs` (a link token's
 * events: 60 a minute). Each key keeps the times of its accepted requests in
 * the window (at most `limit` numbers). In memory per process and bounded:
 * beyond `maxKeys` keys, those with nothing in the window are forgotten
 * first, then the least recently used. Time is passed in.
 */
export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

export class RollingLimit {
  /** Accepted times per key, ascending; the map's order is the order of last use. */
  private readonly keys = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, now: number): TakeResult {
    const refused = this.check(key, now);
    if (refused) return refused;
    const times = this.keys.get(key) ?? [];
    if (!this.keys.has(key) && this.keys.size >= this.maxKeys) this.evict(now);
    times.push(now);
    this.keys.delete(key);
    this.keys.set(key, times);
    return { ok: true };
  }

  /** Whether `take` would accept now, counting nothing. */
  allows(key: string, now: number): boolean {
    return this.check(key, now) === undefined;
  }

  /** Drops the key's times outside the window; the refusal if it is full. */
  private check(key: string, now: number): { ok: false; retryAfterMs: number } | undefined {
    const times = this.keys.get(key);
    if (!times) return undefined;
    while (times.length > 0 && (times[0] as number) <= now - this.windowMs) times.shift();
    return times.length >= this.limit ? { ok: false, retryAfterMs: (times[0] as number) + this.windowMs - now } : undefined;
  }

  private evict(now: number): void {
    for (const [key, times] of this.keys) if ((times.at(-1) ?? -Infinity) <= now - this.windowMs) this.keys.delete(key);
    for (const key of this.keys.keys()) {
      if (this.keys.size < this.maxKeys) break;
      this.keys.delete(key);
    }
  }
}
