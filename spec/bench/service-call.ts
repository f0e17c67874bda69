import { from, mergeMap } from 'rxjs';
import { MapFunction } from '../../src/index.js';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

/**
 * A service that answers at once: its reply is the request.
 *
 * @example
 * ```ts
 * env.registerService('echo', Echo);
 * ```
 */
export class Echo {
  process(x: number): number {
    return x;
  }
}

/**
 * One service call per record.
 *
 * @example
 * ```ts
 * env.fromBatch([1, 2]).map(CallEcho);
 * ```
 */
export class CallEcho extends MapFunction<number, number> {
  execute(x: number): Promise<number> {
    return this.callService<number>('echo', x);
  }
}

/**
 * Workload (c): one call of a service that answers at once per record, against RxJS
 * `from(array).pipe(mergeMap(x => promise, 1))` (concurrency 1, as the engine at parallelism 1).
 *
 * @example
 * ```ts
 * const w = serviceCallWorkload(25_000);
 * ```
 */
export function serviceCallWorkload(n: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: n, sum: (n * (n - 1)) / 2 };
  return {
    title: `c. one service call per record (${n.toLocaleString('en-US')})`,
    records: n,
    expected,
    async engine() {
      const env = benchEnvironment('bench-service-call');
      env.registerService('echo', Echo);
      const { outcome, add } = tally();
      env.fromBatch(numbers).map(CallEcho).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs() {
      const echo = new Echo();
      return drain(from(numbers).pipe(mergeMap((x) => Promise.resolve(echo.process(x)), 1)));
    },
  };
}
