import { BucketCounts, type BucketSnapshot } from '../metrics/bucket-counts.js';

/**
 * Upper bounds (ms) of the fixed latency buckets a `LatencyHistogram` also keeps: Prometheus' default buckets.
 *
 * @example
 * ```ts
 * const seconds = PROMETHEUS_LATENCY_BOUNDS_MS.map((ms) => ms / 1000);
 * ```
 */
export const PROMETHEUS_LATENCY_BOUNDS_MS: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
];

/** Buckets per doubling of the latency: each bucket spans about 9 %. */
const PER_OCTAVE = 8;
/** Octaves covered above 1 µs (2^40 µs is about 12 days); longer latencies land in the last bucket. */
const OCTAVES = 40;

/**
 * Latency distribution in fixed memory: log-scaled buckets from 1 µs up (about 9 % wide), so recording is O(1)
 * and quantiles cost one pass over the few hundred buckets, however many calls were recorded.
 *
 * @example
 * ```ts
 * const h = new LatencyHistogram();
 * h.record(0.25); h.record(3);
 * h.quantile(0.5); // ≈ 0.25 (ms)
 * ```
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(PER_OCTAVE * OCTAVES + 1);
  private total = 0;
  private readonly fixed = new BucketCounts(PROMETHEUS_LATENCY_BOUNDS_MS);

  /** Number of latencies recorded. */
  get count(): number {
    return this.total;
  }

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = ms * 1000;
    let i = us < 1 ? 0 : Math.floor(Math.log2(us) * PER_OCTAVE) + 1;
    if (i >= this.counts.length) i = this.counts.length - 1;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.total++;
    this.fixed.record(ms);
  }

  /** The latencies in Prometheus' default buckets (ms bounds, cumulative counts) with their count and sum. */
  buckets(): BucketSnapshot {
    return this.fixed.snapshot();
  }

  /** The latency (ms, upper edge of its bucket) below which a fraction `q` of the calls fall; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i] as number;
      if (seen >= rank) return Number((2 ** (i / PER_OCTAVE) / 1000).toPrecision(3));
    }
    return Number((2 ** ((counts.length - 1) / PER_OCTAVE) / 1000).toPrecision(3));
  }
}
