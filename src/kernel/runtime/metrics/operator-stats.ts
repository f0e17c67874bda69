import type { OperatorMetrics } from './operator-metrics.js';

/** Counts of one logical operator, summed over its parallel instances, as the job status shows them. */
export interface OperatorStats {
  readonly operator: string;
  readonly parallelism: number;
  readonly in: number;
  readonly out: number;
  readonly dropped: number;
  readonly errors: number;
}

/**
 * Sums per-instance metrics into one entry per operator, in the order the operators were first seen.
 *
 * @example
 * ```ts
 * const stats = summarizeMetrics(dispatcher.metrics());
 * ```
 */
export function summarizeMetrics(instances: readonly OperatorMetrics[]): OperatorStats[] {
  const byName = new Map<
    string,
    { operator: string; parallelism: number; in: number; out: number; dropped: number; errors: number }
  >();
  for (const m of instances) {
    let entry = byName.get(m.operator);
    if (entry === undefined) {
      entry = { operator: m.operator, parallelism: 0, in: 0, out: 0, dropped: 0, errors: 0 };
      byName.set(m.operator, entry);
    }
    entry.parallelism++;
    entry.in += m.in;
    entry.out += m.out;
    entry.dropped += m.dropped;
    entry.errors += m.errors;
  }
  return [...byName.values()];
}
