import type { OperatorMetrics } from './operator-metrics.js';

/** Counts of one logical operator, summed over its parallel instances, as the job status shows them. */
export interface OperatorStats {
  readonly operator: string;
  readonly parallelism: number;
  readonly in: number;
  readonly out: number;
  /** Records removed on purpose (a filter said no, a map returned `undefined`). */
  readonly filtered: number;
  /** Errors caught in user code. */
  readonly errors: number;
  /** Records lost without an error of their own (overflow policies). */
  readonly dropped: number;
  /** The last error message of any instance, when there was one. */
  readonly lastError?: string;
}

interface Totals {
  operator: string;
  parallelism: number;
  in: number;
  out: number;
  filtered: number;
  errors: number;
  dropped: number;
  lastError?: string;
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
  const byName = new Map<string, Totals>();
  for (const m of instances) {
    let entry = byName.get(m.operator);
    if (entry === undefined) {
      entry = { operator: m.operator, parallelism: 0, in: 0, out: 0, filtered: 0, errors: 0, dropped: 0 };
      byName.set(m.operator, entry);
    }
    entry.parallelism++;
    entry.in += m.in;
    entry.out += m.out;
    entry.filtered += m.filtered;
    entry.errors += m.errors;
    entry.dropped += m.dropped;
    if (m.lastError !== undefined) entry.lastError = m.lastError;
  }
  return [...byName.values()];
}
