import { filter, from, map } from 'rxjs';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

const double = (x: number): number => x * 2;
const notMultipleOf3 = (x: number): boolean => x % 3 !== 0;

/**
 * Workload (a): `n` numbers through map → filter → sink, against RxJS `from(array).pipe(map, filter)`.
 *
 * @example
 * ```ts
 * const w = mapFilterWorkload(1_000_000);
 * await w.engine();
 * ```
 */
export function mapFilterWorkload(n: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: 0, sum: 0 };
  for (const x of numbers) {
    const y = double(x);
    if (notMultipleOf3(y)) {
      expected.count++;
      expected.sum += y;
    }
  }
  return {
    title: 'a. map → filter → sink',
    records: n,
    expected,
    async engine() {
      const env = benchEnvironment('bench-map-filter');
      const { outcome, add } = tally();
      env.fromBatch(numbers).map(double).filter(notMultipleOf3).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs: () => drain(from(numbers).pipe(map(double), filter(notMultipleOf3))),
  };
}
