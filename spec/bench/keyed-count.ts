import { from, map } from 'rxjs';
import { MapFunction } from '../../src/index.js';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

/** One keyed record of workloads (b). */
export interface KeyedRecord {
  readonly key: string;
  readonly value: number;
}

/**
 * The keyed running count: per-instance state, a Map from key to the number of records seen with that key.
 *
 * @example
 * ```ts
 * env.fromBatch(records).keyBy((r) => r.key).map(KeyedCount, { parallelism: 4 });
 * ```
 */
export class KeyedCount extends MapFunction<KeyedRecord, number> {
  private readonly counts = new Map<string, number>();

  execute(record: KeyedRecord): number {
    const count = (this.counts.get(record.key) ?? 0) + 1;
    this.counts.set(record.key, count);
    return count;
  }
}

/**
 * Workload (b): `n` records over `keys` keys through keyBy → keyed running count → sink at `parallelism`,
 * against an RxJS `map` doing the same Map lookups.
 *
 * @example
 * ```ts
 * const w = keyedCountWorkload(500_000, 1_000, 4);
 * ```
 */
export function keyedCountWorkload(n: number, keys: number, parallelism: number): Workload {
  const names = Array.from({ length: keys }, (_, k) => `user-${k}`);
  const records: KeyedRecord[] = Array.from({ length: n }, (_, i) => ({
    key: names[i % keys] as string,
    value: i,
  }));
  const expected: Outcome = { count: 0, sum: 0 };
  const reference = new KeyedCount();
  for (const r of records) {
    expected.count++;
    expected.sum += reference.execute(r);
  }
  return {
    title: `b. keyBy → keyed count (a Map in the function) → sink, parallelism ${parallelism}`,
    records: n,
    expected,
    async engine() {
      const env = benchEnvironment('bench-keyed-count');
      const { outcome, add } = tally();
      env
        .fromBatch(records)
        .keyBy((r) => r.key)
        .map(KeyedCount, { parallelism })
        .sink(add, { parallelism });
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs() {
      const counts = new Map<string, number>();
      return drain(
        from(records).pipe(
          map((r) => {
            const count = (counts.get(r.key) ?? 0) + 1;
            counts.set(r.key, count);
            return count;
          }),
        ),
      );
    },
  };
}
