/**
 * Tracks the peak of `heapUsed` above a baseline taken after a full collection (run node with `--expose-gc`
 * for a clean baseline; without it the baseline is whatever the heap holds now).
 *
 * @example
 * ```ts
 * const probe = new HeapProbe();
 * probe.sample();
 * console.log(probe.peakGrowthMiB);
 * ```
 */
export class HeapProbe {
  private readonly baseline: number;
  private peak: number;

  constructor() {
    this.baseline = settledHeap();
    this.peak = this.baseline;
  }

  /** Reads the heap now and keeps the highest value seen. */
  sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.peak) this.peak = used;
  }

  /** Highest heap use seen, above the baseline, in MiB. */
  get peakGrowthMiB(): number {
    return (this.peak - this.baseline) / 1024 / 1024;
  }
}

/**
 * Full collections {@link settledHeap} runs: V8 flushes the bytecode of a function that has not run for 5
 * full collections (`--bytecode-old-age`), so after 7 the code that ran only before the reading (a job's set-up)
 * is already gone, and a later reading does not shrink by it.
 */
const COLLECTIONS = 7;

/**
 * `heapUsed` after full collections (when node runs with `--expose-gc`; otherwise whatever the heap holds).
 *
 * @example
 * ```ts
 * const before = settledHeap();
 * const held = settledHeap() - before;
 * ```
 */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) for (let i = 0; i < COLLECTIONS; i++) gc();
  return process.memoryUsage().heapUsed;
}
