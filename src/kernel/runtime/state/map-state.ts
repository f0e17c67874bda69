import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * A string-keyed map per key (immutable; every change makes a new frozen object).
 *
 * @example
 * ```ts
 * const lastSeen = this.ctx.state.map<number>('lastSeen');
 * lastSeen.set(page, Date.now());
 * lastSeen.get(page);
 * ```
 */
export class MapState<V> {
  constructor(
    private readonly store: KeyedStateStore,
    private readonly name: string,
  ) {}

  private current(): Readonly<Record<string, V>> {
    return (this.store.get(this.name) as Readonly<Record<string, V>> | undefined) ?? {};
  }

  /** The value under `entry` for the current key. */
  get(entry: string): V | undefined {
    return this.current()[entry];
  }

  /** True when the current key's map has `entry`. */
  has(entry: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.current(), entry);
  }

  /** Sets `entry` in the current key's map. */
  set(entry: string, value: V): void {
    this.store.set(this.name, { ...this.current(), [entry]: value });
  }

  /** Removes `entry` from the current key's map. */
  delete(entry: string): void {
    if (!this.has(entry)) return;
    const { [entry]: _removed, ...next } = this.current();
    this.store.set(this.name, next);
  }

  /** The current key's entries. */
  entries(): [string, V][] {
    return Object.entries(this.current());
  }

  /** Forgets the current key's map. */
  clear(): void {
    this.store.delete(this.name);
  }
}
