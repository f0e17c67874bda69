import type { NormalizedKey } from '../key/key-encoding.js';
import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * A list per key (Flink's `ListState`): `add` appends in place, O(1).
 *
 * @example
 * ```ts
 * const seen = this.ctx.state.list<string>('seen');
 * seen.add(event.id);
 * if (seen.get().length > 10) seen.clear();
 * ```
 */
export class ListState<T> {
  private readonly table: Map<NormalizedKey, unknown>;

  constructor(
    private readonly store: KeyedStateStore,
    /** The state's name (what `ctx.state.list(name)` was given). */
    readonly name: string,
  ) {
    this.table = store.table(name);
  }

  /** The current key, its value saved first when an asynchronous snapshot is being copied. */
  private touch(): NormalizedKey {
    const k = this.store.currentKey();
    if (this.store.copying !== undefined) this.store.preserve(this.name, this.table, k);
    return k;
  }

  /** The current key's items (`[]` when none). */
  get(): readonly T[] {
    return (this.table.get(this.touch()) as T[] | undefined) ?? [];
  }

  /** Appends one item to the current key's list. */
  add(item: T): void {
    const k = this.touch();
    const list = this.table.get(k) as T[] | undefined;
    if (list === undefined) this.table.set(k, [item]);
    else list.push(item);
  }

  /** Appends every item to the current key's list. */
  addAll(items: Iterable<T>): void {
    for (const item of items) this.add(item);
  }

  /** Replaces the current key's list. */
  update(items: Iterable<T>): void {
    const list = [...items];
    const k = this.touch();
    if (list.length === 0) this.table.delete(k);
    else this.table.set(k, list);
  }

  /** Forgets the current key's list. */
  clear(): void {
    this.table.delete(this.touch());
  }
}
