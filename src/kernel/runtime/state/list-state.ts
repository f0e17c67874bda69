import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * A list per key (immutable; every change makes a new frozen list).
 *
 * @example
 * ```ts
 * const seen = this.ctx.state.list<string>('seen');
 * seen.add(event.id);
 * if (seen.get().length > 10) seen.clear();
 * ```
 */
export class ListState<T> {
  constructor(
    private readonly store: KeyedStateStore,
    private readonly name: string,
  ) {}

  /** The current key's items (empty when none). */
  get(): readonly T[] {
    return (this.store.get(this.name) as readonly T[] | undefined) ?? [];
  }

  /** Appends items to the current key's list. */
  add(...items: T[]): void {
    this.store.set(this.name, [...this.get(), ...items]);
  }

  /** Replaces the current key's list. */
  set(items: readonly T[]): void {
    this.store.set(this.name, [...items]);
  }

  /** Forgets the current key's list. */
  clear(): void {
    this.store.delete(this.name);
  }
}
