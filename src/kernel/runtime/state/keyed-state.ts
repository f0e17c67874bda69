import type { KeyHolder } from '../step.js';
import { KeyedStateStore } from './keyed-state-store.js';
import { ListState } from './list-state.js';
import { MapState } from './map-state.js';
import type { StateRoot } from './state-root.js';
import { ValueState } from './value-state.js';

/**
 * Managed keyed state of one operator instance (`this.ctx.state`): named value, list and map states, each
 * scoped to the key of the record being processed (`ctx.getKey()`), isolated per key and per instance, kept
 * across pause/continue, and snapshotted with the job.
 *
 * @example
 * ```ts
 * class CountPerKey extends MapFunction<string, [string, number]> {
 *   execute(word: string) {
 *     const count = this.ctx.state.value('count', 0);
 *     count.set(count.get() + 1);
 *     return [word, count.get()];
 *   }
 * }
 * ```
 */
export class KeyedState {
  private readonly store: KeyedStateStore;
  private readonly handles = new Map<string, ValueState<unknown> | ListState<unknown> | MapState<unknown>>();

  constructor(holder: KeyHolder, restored?: StateRoot) {
    this.store = new KeyedStateStore(holder, restored);
  }

  /** A value state named `name`; `initial` is what `get()` returns for a key without a value. */
  value<T>(name: string, initial?: T): ValueState<T> {
    return this.handle(name, 'value', () => new ValueState<T>(this.store, name, initial as T));
  }

  /** A list state named `name`. */
  list<T>(name: string): ListState<T> {
    return this.handle(name, 'list', () => new ListState<T>(this.store, name));
  }

  /** A map state named `name`. */
  map<V>(name: string): MapState<V> {
    return this.handle(name, 'map', () => new MapState<V>(this.store, name));
  }

  /** Every key that holds state in this instance. */
  keys(): unknown[] {
    return this.store.keys();
  }

  /** The instance's keyed state as frozen JSON-compatible data (O(1)). */
  snapshot(): StateRoot {
    return this.store.snapshot();
  }

  private handle<H>(name: string, kind: string, create: () => H): H {
    const existing = this.handles.get(name);
    if (existing !== undefined) {
      const expected = kind === 'value' ? ValueState : kind === 'list' ? ListState : MapState;
      if (!(existing instanceof expected)) {
        throw new TypeError(`state '${name}' is already used as another kind of state in this operator`);
      }
      return existing as H;
    }
    const handle = create();
    this.handles.set(name, handle as ValueState<unknown>);
    return handle;
  }
}
