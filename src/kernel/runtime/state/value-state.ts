import type { NormalizedKey } from '../key/key-encoding.js';
import { copyInitial } from './copy-initial.js';
import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * One value per key (Flink's `ValueState`). Values are kept as given: a checkpoint copies them.
 *
 * @example
 * ```ts
 * const count = this.ctx.state.value<number>('count', 0);
 * count.set(count.get() + 1);
 * count.update((n) => n * 2);
 * ```
 */
export class ValueState<T> {
  private readonly table: Map<NormalizedKey, unknown>;

  constructor(
    private readonly store: KeyedStateStore,
    /** The state's name. */
    readonly name: string,
    private readonly initial: T,
  ) {
    this.table = store.table(name);
  }

  /**
   * The current key's value, or the initial value when it has none: a fresh copy of it when it is an object
   * (plain data), so that changing it in place and storing it changes this key only.
   */
  get(): T {
    const k = this.store.currentKey();
    const v = this.table.get(k);
    if (v === undefined) return copyInitial(this.initial);
    if (this.store.copying !== undefined && typeof v === 'object')
      this.store.preserve(this.name, this.table, k);
    return v as T;
  }

  /** Replaces the current key's value (`undefined` clears it). */
  set(value: T): void {
    const k = this.store.currentKey();
    if (this.store.copying !== undefined) this.store.preserve(this.name, this.table, k);
    if (value === undefined) this.table.delete(k);
    else this.table.set(k, value);
  }

  /** Stores `fn(current)` as the current key's value. */
  update(fn: (current: T) => T): void {
    this.set(fn(this.get()));
  }

  /** Forgets the current key's value: `get()` returns the initial value again. */
  clear(): void {
    this.set(undefined as T);
  }
}
