/**
 * Bucketed counts as Prometheus keeps a histogram: `counts[i]` values were at most `bounds[i]` (cumulative),
 * `count` values in all (the `+Inf` bucket), summing to `sum`.
 *
 * @example
 * ```ts
 * const s: BucketSnapshot = { bounds: [1, 10], counts: [2, 3], count: 4, sum: 31 };
 * ```
 */
export interface BucketSnapshot {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
}

/**
 * Counts values into fixed buckets (upper bounds, ascending): O(number of bounds) per value, fixed memory, and a
 * cumulative snapshot for exposition. Meant for events that are not per record (a service call, a batch).
 *
 * @example
 * ```ts
 * const sizes = new BucketCounts([1, 2, 4, 8]);
 * sizes.record(3);
 * sizes.snapshot(); // { bounds: [1, 2, 4, 8], counts: [0, 0, 1, 1], count: 1, sum: 3 }
 * ```
 */
export class BucketCounts {
  private readonly perBucket: Float64Array;
  private total = 0;
  private sum = 0;

  constructor(readonly bounds: readonly number[]) {
    this.perBucket = new Float64Array(bounds.length);
  }

  /** Counts one value. */
  record(value: number): void {
    this.total++;
    this.sum += value;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.perBucket[i] = (this.perBucket[i] as number) + 1;
        return;
      }
    }
  }

  /** The counts so far, cumulative per bound. */
  snapshot(): BucketSnapshot {
    const counts: number[] = [];
    let seen = 0;
    for (const n of this.perBucket) {
      seen += n;
      counts.push(seen);
    }
    return { bounds: this.bounds, counts, count: this.total, sum: this.sum };
  }
}
