import type { NormalizedKey } from '../key/key-encoding.js';
import type { AggregateFunction } from './aggregate-function.js';
import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * One accumulator per key (Flink's `AggregatingState`): `add(v)` folds a value in, `get()` reads the result.
 *
 * @example
 * ```ts
 * const avg = this.ctx.state.aggregating('avg', {
 *   createAccumulator: () => ({ sum: 0, n: 0 }),
 *   add: (v: number, a) => ({ sum: a.sum + v, n: a.n + 1 }),
 *   getResult: (a) => a.sum / a.n,
 * });
 * avg.add(reading.value);
 * ```
 */
export class AggregatingState<IN, ACC, OUT> {
  private readonly table: Map<NormalizedKey, unknown>;

  constructor(
    private readonly store: KeyedStateStore,
    /** The state's name (what `ctx.state.aggregating(name, fn)` was given). */
    readonly name: string,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {
    this.table = store.table(name);
  }

  /** The current key, its value saved first when an asynchronous snapshot is being copied. */
  private touch(): NormalizedKey {
    const k = this.store.currentKey();
    if (this.store.copying !== undefined) this.store.preserve(this.name, this.table, k);
    return k;
  }

  /** Folds `value` into the current key's accumulator. */
  add(value: IN): void {
    const k = this.touch();
    const table = this.table;
    const acc = table.has(k) ? (table.get(k) as ACC) : this.fn.createAccumulator();
    table.set(k, this.fn.add(value, acc));
  }

  /** The current key's result (`undefined` when nothing was added). */
  get(): OUT | undefined {
    const k = this.touch();
    return this.table.has(k) ? this.fn.getResult(this.table.get(k) as ACC) : undefined;
  }

  /** Forgets the current key's accumulator. */
  clear(): void {
    this.table.delete(this.touch());
  }
}
