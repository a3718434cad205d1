import { ApiError } from '../errors';

/**
 * Per-client rate limit (issue 11.5): a token bucket per client holding `perMinute` requests,
 * refilled continuously, so a client may burst up to its minute's allowance and then gets 429
 * limit_exceeded with a Retry-After hint. Clients are named as for the session quotas
 * (security.ts clientKey): by their token's name, or without auth by their address.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 10_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request from `client`'s bucket or throws 429 limit_exceeded. */
  take(client: string): void {
    const t = this.now();
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= this.maxClients) this.prune(t);
      b = { tokens: this.perMinute, at: t };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    if (b.tokens < 1) {
      const retryAfterS = Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
      throw new ApiError('limit_exceeded', 'Too many analyses from this client; retry later.', {
        resource: 'analyses_per_minute',
        limit: this.perMinute,
        retryAfterS,
      });
    }
    b.tokens -= 1;
  }

  /** Forgets clients whose bucket has refilled (they are as if new); keeps the map bounded. */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.perMs >= this.perMinute) this.buckets.delete(k);
    }
    // still full of active clients: drop the oldest entries rather than grow without bound
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(k);
    }
  }
}
