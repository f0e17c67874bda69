import type { Timing } from './measure.js';

/**
 * What a benchmark child process prints for one workload: its row label and size, and its timing.
 *
 * @example
 * ```ts
 * const result = JSON.parse(line) as ChildResult;
 * console.log(result.title, result.engineMs);
 * ```
 */
export interface ChildResult extends Timing {
  readonly id: string;
  readonly title: string;
  readonly records: number;
  readonly detail?: string;
  /** What the baseline side runs when it is not plain RxJS. */
  readonly baseline?: string;
  readonly kind: 'throughput' | 'latency';
}
