// A token bucket per key (a tab): a hostile page can send as many messages as it likes
// through its relay; beyond the bucket they are refused before any parsing or analysis.
// The relay sends at most one batch every 250 ms, plus short bursts when its queue is long.
export interface RateLimiterOptions {
  /** Burst size. */
  capacity?: number;
  /** Tokens added per second. */
  refillPerSecond?: number;
  /** Keys remembered; the oldest is forgotten beyond this. */
  maxKeys?: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string | number): boolean;
}

export function createRateLimiter(opts: RateLimiterOptions = {}): RateLimiter {
  const capacity = opts.capacity ?? 40;
  const rate = opts.refillPerSecond ?? 8;
  const maxKeys = opts.maxKeys ?? 1_000;
  const now = opts.now ?? Date.now;
  const buckets = new Map<string | number, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        b = { tokens: capacity, at: t };
        buckets.set(key, b);
        while (buckets.size > maxKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest === undefined) break;
          buckets.delete(oldest);
        }
      } else {
        b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * rate);
        b.at = t;
      }
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
