import type { NormalizedKey } from '../key/key-encoding.js';
import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * A map per key (Flink's `MapState`), held in a JavaScript `Map`.
 *
 * @example
 * ```ts
 * const lastSeen = this.ctx.state.map<string, number>('lastSeen');
 * lastSeen.put(page, this.ctx.scheduler.now());
 * lastSeen.get(page);
 * ```
 */
export class MapState<K, V> {
  private readonly table: Map<NormalizedKey, unknown>;

  constructor(
    private readonly store: KeyedStateStore,
    /** The state's name (what `ctx.state.map(name)` was given). */
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

  private current(): Map<K, V> | undefined {
    return this.table.get(this.touch()) as Map<K, V> | undefined;
  }

  private writable(): Map<K, V> {
    const k = this.touch();
    let m = this.table.get(k) as Map<K, V> | undefined;
    if (m === undefined) {
      m = new Map();
      this.table.set(k, m);
    }
    return m;
  }

  /** The value under `entry` for the current key. */
  get(entry: K): V | undefined {
    return this.current()?.get(entry);
  }

  /** Sets `entry` in the current key's map. */
  put(entry: K, value: V): void {
    this.writable().set(entry, value);
  }

  /** True when the current key's map has `entry`. */
  has(entry: K): boolean {
    return this.current()?.has(entry) ?? false;
  }

  /** Removes `entry` from the current key's map. */
  delete(entry: K): void {
    const m = this.current();
    if (m === undefined) return;
    m.delete(entry);
    if (m.size === 0) this.table.delete(this.touch());
  }

  /** The current key's entries. */
  entries(): Iterable<[K, V]> {
    return this.current()?.entries() ?? [];
  }

  /** The current key's entry names. */
  keys(): Iterable<K> {
    return this.current()?.keys() ?? [];
  }

  /** The current key's values. */
  values(): Iterable<V> {
    return this.current()?.values() ?? [];
  }

  /** Number of entries of the current key's map. */
  get size(): number {
    return this.current()?.size ?? 0;
  }

  /** Forgets the current key's map. */
  clear(): void {
    this.table.delete(this.touch());
  }
}
