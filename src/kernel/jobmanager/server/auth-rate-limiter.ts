/**
 * Rate-limits failed authentications per remote address with a token bucket: an address may fail `limit`
 * times in a row, then once more every `windowMs / limit` milliseconds; while its bucket is empty it is
 * `blocked`. Time comes from `now` (the server's scheduler). At most `maxAddresses` addresses are remembered
 * (the least recently failed are forgotten first), and an address whose bucket has refilled is forgotten.
 *
 * @example
 * ```ts
 * const limiter = new AuthRateLimiter(10, 60_000, () => asyncScheduler.now());
 * if (limiter.blocked(address)) refuse(limiter.retryAfterMs(address));
 * else if (!tokensMatch(token, given)) limiter.failed(address);
 * ```
 */
export class AuthRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Addresses remembered now. */
  get size(): number {
    return this.buckets.size;
  }

  /** True while `address` may not try again. */
  blocked(address: string): boolean {
    return (this.refill(address)?.tokens ?? this.limit) < 1;
  }

  /** Milliseconds until `address` may try again (0 when it may now). */
  retryAfterMs(address: string): number {
    const tokens = this.refill(address)?.tokens ?? this.limit;
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * this.windowMs) / this.limit);
  }

  /** Records a failed authentication from `address`. */
  failed(address: string): void {
    const bucket = this.refill(address) ?? { tokens: this.limit, at: this.now() };
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    this.buckets.delete(address);
    this.buckets.set(address, bucket);
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxAddresses) break;
      this.buckets.delete(oldest);
    }
  }

  private refill(address: string): { tokens: number; at: number } | undefined {
    const bucket = this.buckets.get(address);
    if (bucket === undefined) return undefined;
    const now = this.now();
    bucket.tokens = Math.min(this.limit, bucket.tokens + ((now - bucket.at) * this.limit) / this.windowMs);
    bucket.at = now;
    if (bucket.tokens >= this.limit) {
      this.buckets.delete(address);
      return undefined;
    }
    return bucket;
  }
}
