import { concatMap, from } from 'rxjs';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

const incrementLater = (x: number): Promise<number> => Promise.resolve(x + 1);

/**
 * Workload a3: `n` numbers through a map that returns an already resolved Promise (`Promise.resolve` per
 * record) → sink, against RxJS `from(array).pipe(concatMap(...))` (one at a time, as one engine instance).
 * RxJS buffers the whole synchronous burst and drains it with `shift()`, so its time grows faster than `n`.
 *
 * @example
 * ```ts
 * const w = asyncMapWorkload(100_000);
 * ```
 */
export function asyncMapWorkload(n: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: n, sum: (n * (n + 1)) / 2 };
  return {
    title: 'a3. async map (`Promise.resolve` per record) → sink',
    records: n,
    expected,
    async engine() {
      const env = benchEnvironment('bench-async-map');
      const { outcome, add } = tally();
      env.fromBatch(numbers).map(incrementLater).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs: () => drain(from(numbers).pipe(concatMap(incrementLater))),
  };
}
