import type { SchedulerLike } from 'rxjs';
import type { AggregateFunction } from './aggregate-function.js';
import { AggregatingState } from './aggregating-state.js';
import { KeyedStateStore, type KeyedStoreInit, type TouchedKey } from './keyed-state-store.js';
import type { KeyedSnapshot } from './keyed-snapshot.js';
import { ListState } from './list-state.js';
import { MapState } from './map-state.js';
import { ReducingState } from './reducing-state.js';
import { ValueState } from './value-state.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/** The class of a kind of state, as a value (to check that a name keeps one kind). */
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
  private lastList: ListState<unknown> | undefined = undefined;
  private lastMap: MapState<unknown, unknown> | undefined = undefined;
  private lastReducing: ReducingState<unknown> | undefined = undefined;
  private lastAggregating: AggregatingState<unknown, unknown, unknown> | undefined = undefined;

  constructor(init: KeyedStoreInit, restored?: KeyedSnapshot) {
    this.store = new KeyedStateStore(init);
    if (restored !== undefined) this.store.restore(restored);
  }

  /** A value state named `name`; `initial` is what `get()` returns for a key without a value. */
  value<T>(name: string, initial?: T): ValueState<T> {
    // A function asks for its state on every record, mostly by one name per kind: asking for it again costs
    // a compare, not a lookup, and nothing is allocated.
    const last = this.lastValue;
    if (last !== undefined && last.name === name) return last as ValueState<T>;
    const state =
      this.known(name, ValueState) ?? this.add(name, new ValueState<T>(this.store, name, initial as T));
    this.lastValue = state;
    return state;
  }

  /** A list state named `name`. */
  list<T>(name: string): ListState<T> {
    const last = this.lastList;
    if (last !== undefined && last.name === name) return last as ListState<T>;
    const state = this.known(name, ListState) ?? this.add(name, new ListState<T>(this.store, name));
    this.lastList = state;
    return state as ListState<T>;
  }

  /** A map state named `name`. */
  map<K, V = unknown>(name: string): MapState<K, V> {
    const last = this.lastMap;
    if (last !== undefined && last.name === name) return last as MapState<K, V>;
    const state = this.known(name, MapState) ?? this.add(name, new MapState<K, V>(this.store, name));
    this.lastMap = state;
    return state as MapState<K, V>;
  }

  /** A reducing state named `name`, folded with `reduce` (the function given when it was first asked for). */
  reducing<T>(name: string, reduce: (a: T, b: T) => T): ReducingState<T> {
    const last = this.lastReducing;
    if (last !== undefined && last.name === name) return last as ReducingState<T>;
    const state =
      this.known(name, ReducingState) ?? this.add(name, new ReducingState<T>(this.store, name, reduce));
    this.lastReducing = state as ReducingState<unknown>;
    return state as ReducingState<T>;
  }

  /** An aggregating state named `name`, folded with `fn` (the function given when it was first asked for). */
  aggregating<IN, ACC, OUT>(
    name: string,
    fn: AggregateFunction<IN, ACC, OUT>,
  ): AggregatingState<IN, ACC, OUT> {
    const last = this.lastAggregating;
    if (last !== undefined && last.name === name) return last as AggregatingState<IN, ACC, OUT>;
    const state =
      this.known(name, AggregatingState) ?? this.add(name, new AggregatingState(this.store, name, fn));
    this.lastAggregating = state;
    return state as AggregatingState<IN, ACC, OUT>;
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

  /**
   * The state already named `name`, when it is of `kind`; undefined when there is none; throws when the name is
   * taken by another kind of state.
   */
  private known<H extends object>(name: string, kind: abstract new (...args: never[]) => H): H | undefined {
    const existing = this.handles.get(name);
    if (existing === undefined) return undefined;
    if (!(existing instanceof kind)) {
      throw new InvalidArgumentError(
        `state '${name}' is already used as another kind of state in this operator`,
      );
    }
    return existing;
  }

  private add<H extends object>(name: string, state: H): H {
    this.handles.set(name, state);
    return state;
  }
}
