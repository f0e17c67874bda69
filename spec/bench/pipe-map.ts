import { map } from 'rxjs';
import { benchEnvironment, tally, type Outcome, type Workload } from './workload.js';

const double = (x: number): number => x * 2;

/**
 * Workload (j): `n` numbers through an RxJS `map` run as a `pipe` step, against the same function as the
 * built-in `map` step (the right-hand column of this row is the built-in map, not plain RxJS).
 *
 * @example
 * ```ts
 * const w = pipeMapWorkload(100_000);
 * await w.engine();
 * ```
 */
export function pipeMapWorkload(n: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: n, sum: numbers.reduce((s, x) => s + double(x), 0) };
  return {
    title: 'j. pipe(map(f)) → sink, vs built-in map(f) → sink',
    records: n,
    detail: 'right column: built-in map',
    expected,
    async engine() {
      const env = benchEnvironment('bench-pipe-map');
      const { outcome, add } = tally();
      env.fromBatch(numbers).pipe(map(double)).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    async rxjs() {
      const env = benchEnvironment('bench-builtin-map');
      const { outcome, add } = tally();
      env.fromBatch(numbers).map(double).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
  };
}
