import { produce, type Draft } from 'immer';
import type { KeyedStateStore } from './keyed-state-store.js';

/**
 * One value per key. Values are immutable: change them with `set`, or with `update(recipe)`, an immer recipe
 * that may mutate the draft it receives.
 *
 * @example
 * ```ts
 * const count = this.ctx.state.value<number>('count', 0);
 * count.set(count.get() + 1);
 * const profile = this.ctx.state.value<{ visits: number }>('profile', { visits: 0 });
 * profile.update((p) => { p.visits++; });
 * ```
 */
export class ValueState<T> {
  constructor(
    private readonly store: KeyedStateStore,
    private readonly name: string,
    private readonly initial: T,
  ) {}

  /** The current key's value, or the initial value when it has none. */
  get(): T {
    const v = this.store.get(this.name);
    return v === undefined ? this.initial : (v as T);
  }

  /** Replaces the current key's value. */
  set(value: T): void {
    this.store.set(this.name, value);
  }

  /** Derives the next value with an immer recipe (mutate the draft, or return a new value). */
  update(recipe: (draft: Draft<T>) => void | T): void {
    const derive = produce as (base: T, recipe: (draft: Draft<T>) => void | T) => T;
    this.store.set(this.name, derive(this.get(), recipe));
  }

  /** Forgets the current key's value. */
  clear(): void {
    this.store.delete(this.name);
  }
}
