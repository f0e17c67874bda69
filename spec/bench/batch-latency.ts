import { from, map } from 'rxjs';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

const increment = (x: number): number => x + 1;

/**
 * Workload (d): a small batch job (`n` records, 10 in the issue) from submit to completion, against an RxJS
 * pipeline over the same array; timed per run, so its median is the job's latency.
 *
 * @example
 * ```ts
 * const w = batchLatencyWorkload(10);
 * await w.engine(); // one whole job: compile, wire, run, complete
 * ```
 */
export function batchLatencyWorkload(n: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: n, sum: numbers.reduce((s, x) => s + increment(x), 0) };
  return {
    title: `d. ${n}-record batch job, submit → complete`,
    records: n,
    kind: 'latency',
    expected,
    async engine() {
      const env = benchEnvironment('bench-batch-latency');
      const { outcome, add } = tally();
      env.fromBatch(numbers).map(increment).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs: () => drain(from(numbers).pipe(map(increment))),
  };
}
