import type { SchedulerLike } from 'rxjs';
import type { AggregateFunction } from './aggregate-function.js';
import { AggregatingState } from './aggregating-state.js';
import { KeyedStateStore, type KeyedStoreInit, type TouchedKey } from './keyed-state-store.js';
import type { KeyedSnapshot } from './keyed-snapshot.js';
import { ListState } from './list-state.js';
import { MapState } from './map-state.js';
import { ReducingState } from './reducing-state.js';
import { ValueState } from './value-state.js';

/** The class of a kind of state, as a value (to check that a name keeps one kind). */
type StateKind = abstract new (...args: never[]) => object;

/**
 * Managed keyed state of one operator instance (`this.ctx.state`), Flink's model: named value, list, map,
 * reducing and aggregating states, each scoped to the key of the running call (`ctx.getKey()`, also after an
 * `await`), isolated per key, stored by key group, saved in checkpoints and savepoints and moved with its key
 * group when a job is restored at another parallelism. It needs a hash-keyed input (`keyBy` upstream);
 * otherwise every access throws StateAccessError. Every update is O(1).
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
  private readonly handles = new Map<string, object>();
  private lastValue: ValueState<unknown> | undefined = undefined;

  constructor(init: KeyedStoreInit, restored?: KeyedSnapshot) {
    this.store = new KeyedStateStore(init);
    if (restored !== undefined) this.store.restore(restored);
  }

  /** A value state named `name`; `initial` is what `get()` returns for a key without a value. */
  value<T>(name: string, initial?: T): ValueState<T> {
    // Most functions use one value state: asking for it again costs a compare, not a lookup.
    const last = this.lastValue;
    if (last !== undefined && last.name === name) return last as ValueState<T>;
    const known = this.handles.get(name);
    if (known instanceof ValueState) {
      this.lastValue = known;
      return known as ValueState<T>;
    }
    return this.handle(name, ValueState, () => new ValueState<T>(this.store, name, initial as T));
  }

  /** A list state named `name`. */
  list<T>(name: string): ListState<T> {
    const known = this.handles.get(name);
    if (known instanceof ListState) return known as ListState<T>;
    return this.handle(name, ListState, () => new ListState<T>(this.store, name));
  }

  /** A map state named `name`. */
  map<K, V = unknown>(name: string): MapState<K, V> {
    const known = this.handles.get(name);
    if (known instanceof MapState) return known as MapState<K, V>;
    return this.handle(name, MapState, () => new MapState<K, V>(this.store, name));
  }

  /** A reducing state named `name`, folded with `reduce`. */
  reducing<T>(name: string, reduce: (a: T, b: T) => T): ReducingState<T> {
    return this.handle(name, ReducingState, () => new ReducingState<T>(this.store, name, reduce));
  }

  /** An aggregating state named `name`, folded with `fn`. */
  aggregating<IN, ACC, OUT>(
    name: string,
    fn: AggregateFunction<IN, ACC, OUT>,
  ): AggregatingState<IN, ACC, OUT> {
    return this.handle(name, AggregatingState, () => new AggregatingState(this.store, name, fn));
  }

  /** Every key that holds state in this instance. */
  keys(): unknown[] {
    return this.store.keys();
  }

  /** A deep copy of the instance's keyed state as JSON-compatible data, by key group. */
  snapshot(): KeyedSnapshot | undefined {
    return this.store.snapshot();
  }

  /**
   * The same copy without stalling the job: large states are copied in chunks on `scheduler`, copy-on-write,
   * as they were at this call.
   */
  snapshotAsync(scheduler: SchedulerLike): KeyedSnapshot | undefined | Promise<KeyedSnapshot | undefined> {
    return this.store.snapshotAsync(scheduler);
  }

  /**
   * @internal For a backend that commits only the keys that may have changed: starts logging touched keys.
   */
  trackTouched(): void {
    this.store.trackTouched();
  }

  /** @internal The keys touched since the last call, with their values now (see `trackTouched`). */
  takeTouched(): TouchedKey[] {
    return this.store.takeTouched();
  }

  /** @internal Loads more saved state (a backend that loads keys on first touch); touches nothing. */
  restoreMore(snapshot: KeyedSnapshot): void {
    this.store.restore(snapshot);
  }

  private handle<H extends object>(name: string, kind: StateKind, create: () => H): H {
    const existing = this.handles.get(name);
    if (existing !== undefined) {
      if (!(existing instanceof kind)) {
        throw new TypeError(`state '${name}' is already used as another kind of state in this operator`);
      }
      return existing as H;
    }
    const handle = create();
    this.handles.set(name, handle);
    return handle;
  }
}
