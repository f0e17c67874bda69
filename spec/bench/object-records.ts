import { filter, from, map } from 'rxjs';
import { benchEnvironment, tally, type Outcome, type Workload } from './workload.js';
import type { Observable } from 'rxjs';

/** One record of the object workload. */
export interface IdKeyValue {
  readonly id: number;
  readonly key: string;
  readonly value: number;
}

/** The map step: allocates a new record, as user code usually does. */
const doubleValue = (r: IdKeyValue): IdKeyValue => ({ id: r.id, key: r.key, value: r.value * 2 });
const notMultipleOf3 = (r: IdKeyValue): boolean => r.value % 3 !== 0;

/**
 * Workload a2: `n` `{ id, key, value }` records through map (a new object per record) → filter → sink, against
 * RxJS `from(array).pipe(map, filter)`. The outcome adds up the values the sink saw.
 *
 * @example
 * ```ts
 * const w = objectRecordsWorkload(1_000_000);
 * ```
 */
export function objectRecordsWorkload(n: number): Workload {
  const records: IdKeyValue[] = Array.from({ length: n }, (_, i) => ({
    id: i,
    key: `k${i % 100}`,
    value: i,
  }));
  const expected: Outcome = { count: 0, sum: 0 };
  for (const r of records) {
    const y = doubleValue(r);
    if (notMultipleOf3(y)) {
      expected.count++;
      expected.sum += y.value;
    }
  }
  return {
    title: 'a2. map → filter → sink, `{ id, key, value }` records (map allocates)',
    records: n,
    expected,
    async engine() {
      const env = benchEnvironment('bench-object-records');
      const { outcome, add } = tally();
      env
        .fromBatch(records)
        .map(doubleValue)
        .filter(notMultipleOf3)
        .sink((r) => {
          add(r.value);
        });
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs: () => drainValues(from(records).pipe(map(doubleValue), filter(notMultipleOf3))),
  };
}

function drainValues(source: Observable<IdKeyValue>): Promise<Outcome> {
  const { outcome, add } = tally();
  return new Promise((resolve, reject) => {
    source.subscribe({
      next: (r) => {
        add(r.value);
      },
      error: reject,
      complete: () => {
        resolve(outcome);
      },
    });
  });
}
