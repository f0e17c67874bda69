import { from, map } from 'rxjs';
import { MapFunction } from '../../src/index.js';
import { formatCount } from './format-table.js';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

/**
 * Appends each record to its key's `ctx.state.list('items')` and answers the list's new length.
 *
 * @example
 * ```ts
 * env.fromBatch(keys).keyBy((k) => k).map(AppendToList);
 * ```
 */
export class AppendToList extends MapFunction<number, number> {
  execute(value: number): number {
    const items = this.ctx.state.list<number>('items');
    items.add(value);
    return items.get().length;
  }
}

/**
 * Workload h: `n` records over `keys` keys through keyBy → `ListState.add` → sink, so that every key's list
 * grows to `n / keys` items, against an RxJS `map` pushing onto arrays in a `Map`. The sink adds up the list
 * lengths.
 *
 * @example
 * ```ts
 * const w = listStateWorkload(50_000, 10); // lists grow to 5,000 items
 * ```
 */
export function listStateWorkload(n: number, keys: number): Workload {
  const input = Array.from({ length: n }, (_, i) => i % keys);
  const expected: Outcome = { count: 0, sum: 0 };
  const lengths = new Map<number, number>();
  for (const k of input) {
    const length = (lengths.get(k) ?? 0) + 1;
    lengths.set(k, length);
    expected.count++;
    expected.sum += length;
  }
  return {
    title: `h. keyBy → \`ListState.add\`, answer the length → sink, lists grow to ${formatCount(Math.ceil(n / keys))} items`,
    records: n,
    detail: `${formatCount(keys)} keys`,
    expected,
    async engine() {
      const env = benchEnvironment('bench-list-state');
      const { outcome, add } = tally();
      env
        .fromBatch(input)
        .keyBy((k) => k)
        .map(AppendToList)
        .sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs() {
      const lists = new Map<number, number[]>();
      return drain(
        from(input).pipe(
          map((k) => {
            let items = lists.get(k);
            if (items === undefined) {
              items = [];
              lists.set(k, items);
            }
            items.push(k);
            return items.length;
          }),
        ),
      );
    },
  };
}
