/**
 * A token bucket on a scheduler's clock: holds up to `burst` tokens, starts full, refills at `perSecond`. Tokens
 * are counted in thousandths, so whole-millisecond clocks refill exactly (no drift from floating-point sums).
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket(200, 10, 0);
 * bucket.take(1, 0);   // 0: taken at once
 * bucket.take(20, 0);  // ms to wait before 20 tokens (capped at the burst) are there; nothing taken
 * ```
 */
export class TokenBucket {
  private milli: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    burst: number,
    now: number,
  ) {
    this.capacity = burst * 1000;
    this.milli = this.capacity;
    this.last = now;
  }

  /**
   * Takes `cost` tokens (capped at the burst) if they are there at time `now` and returns 0; otherwise takes
   * nothing and returns how many ms to wait until they are.
   */
  take(cost: number, now: number): number {
    if (now > this.last) {
      this.milli = Math.min(this.capacity, this.milli + (now - this.last) * this.perSecond);
      this.last = now;
    }
    const need = Math.min(Math.max(0, cost) * 1000, this.capacity);
    if (this.milli >= need) {
      this.milli -= need;
      return 0;
    }
    return Math.max(1, Math.ceil((need - this.milli) / this.perSecond));
  }
}
