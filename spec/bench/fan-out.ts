import { connectable, from, Subject } from 'rxjs';
import { benchEnvironment, tally, type Outcome, type Workload } from './workload.js';

/**
 * Workload (e): one source of `n` numbers fanned out to three sinks, against an RxJS `connectable` (a Subject)
 * with three subscribers. The outcome adds up what the three sinks saw.
 *
 * @example
 * ```ts
 * const w = fanOutWorkload(1_000_000);
 * ```
 */
export function fanOutWorkload(n: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: 3 * n, sum: 3 * ((n * (n - 1)) / 2) };
  return {
    title: 'e. fan-out, one source → three sinks',
    records: n,
    expected,
    async engine() {
      const env = benchEnvironment('bench-fan-out');
      const { outcome, add } = tally();
      env.fromBatch(numbers).sink(add).sink(add).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs() {
      const { outcome, add } = tally();
      const shared = connectable(from(numbers), {
        connector: () => new Subject<number>(),
        resetOnDisconnect: false,
      });
      return new Promise<Outcome>((resolve, reject) => {
        let open = 3;
        for (let i = 0; i < 3; i++) {
          shared.subscribe({
            next: add,
            error: reject,
            complete: () => {
              if (--open === 0) resolve(outcome);
            },
          });
        }
        shared.connect();
      });
    },
  };
}
