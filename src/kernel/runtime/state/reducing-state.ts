import type { NormalizedKey } from '../key/key-encoding.js';
import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * One value per key folded with a reduce function (Flink's `ReducingState`): `add(v)` stores `v` for an empty
 * key, else `reduce(current, v)`.
 *
 * @example
 * ```ts
 * const total = this.ctx.state.reducing<number>('total', (a, b) => a + b);
 * total.add(order.amount);
 * total.get();
 * ```
 */
export class ReducingState<T> {
  private readonly table: Map<NormalizedKey, unknown>;

  constructor(
    private readonly store: KeyedStateStore,
    /** The state's name (what `ctx.state.reducing(name, fn)` was given). */
    readonly name: string,
    private readonly reduce: (a: T, b: T) => T,
  ) {
    this.table = store.table(name);
  }

  /** The current key, its value saved first when an asynchronous snapshot is being copied. */
  private touch(): NormalizedKey {
    const k = this.store.currentKey();
    if (this.store.copying !== undefined) this.store.preserve(this.name, this.table, k);
    return k;
  }

  /** Folds `value` into the current key's value. */
  add(value: T): void {
    const k = this.touch();
    const table = this.table;
    table.set(k, table.has(k) ? this.reduce(table.get(k) as T, value) : value);
  }

  /** The current key's value (`undefined` when nothing was added). */
  get(): T | undefined {
    return this.table.get(this.touch()) as T | undefined;
  }

  /** Forgets the current key's value. */
  clear(): void {
    this.table.delete(this.touch());
  }
}
