import type { ChildResult } from './child-result.js';

/** One row's fresh measurement over several processes: the median process and every process's ratio. */
export interface FreshOutcome {
  /** The process whose engine ÷ RxJS ratio is the median (the lower middle one of an even count). */
  readonly median: ChildResult;
  /** Engine ÷ RxJS of every process, in the order they ran. */
  readonly ratios: readonly number[];
}

/**
 * Picks, among the results of one workload measured in several fresh processes, the process whose ratio
 * (RxJS time ÷ engine time) is the median, so the rates shown next to a ratio come from the process that
 * gave it.
 *
 * @example
 * ```ts
 * const { median, ratios } = medianProcess(results); // ratios [2.1, 2.9, 2.6] → median is the 2.6 process
 * ```
 */
export function medianProcess(results: readonly ChildResult[]): FreshOutcome {
  if (results.length === 0) throw new RangeError('medianProcess: no results to choose from');
  const ratios = results.map((r) => r.rxjsMs / r.engineMs);
  const order = results.map((_, i) => i).sort((a, b) => (ratios[a] as number) - (ratios[b] as number));
  const middle = order[(order.length - 1) >> 1] as number;
  return { median: results[middle] as ChildResult, ratios };
}
