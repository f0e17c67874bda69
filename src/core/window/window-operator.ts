import type { Trigger } from '../api/window/trigger.js';
import { TumblingEventTimeWindows } from '../api/window/tumbling-event-time-windows.js';
import type { TriggerResult } from '../api/window/trigger-result.js';
import type { Window } from '../api/window/window.js';
import type { WindowAssigner } from '../api/window/window-assigner.js';
import type { WindowedStreamSpec } from '../api/window/windowed-stream-spec.js';
import { findSlot, slotList, withoutSlot, withSlot, withSlotInOrder, type KeySlots } from './key-slots.js';
import { SlotTimerQueue } from './slot-timer-queue.js';
import { SlotTriggerContext, type SlotTimers } from './slot-trigger-context.js';
import { hasTime, timesOf, withoutTime } from './time-set.js';
import type { WindowContents } from './window-contents.js';
import { windowContentsFor, type InstantiateProcessFunction } from './window-contents-for.js';
import type { WindowHost } from './window-host.js';
import type { WindowOperatorSnapshot, WindowSlotSnapshot } from './window-operator-snapshot.js';
import { NO_CONTENTS, WindowSlot } from './window-slot.js';

/** Options of a `WindowOperator`. */
export interface WindowOperatorOptions {
  /** Builds the object of a `ProcessWindowFunction` class in the spec (default: `new cls()`). */
  readonly instantiate?: InstantiateProcessFunction;
  /**
   * The key window functions see for the key the engine files windows under (default: the same), when the
   * host files structured keys under an encoded form.
   */
  readonly keyOf?: (key: unknown) => unknown;
}

/**
 * The window engine of one parallel instance (Flink's `WindowOperator` and `EvictingWindowOperator`), free of
 * any runtime: the operator that runs it calls `processElement` per record (in the record's key context) and
 * `advanceWatermark` / `advanceProcessingTime` when its clocks move, and gets results and late records through its
 * `WindowHost`. Per key it keeps a small list of open windows, each with its contents (an accumulator unless a
 * process function or an evictor needs the records), trigger state and timers; the timers are per window (Flink's
 * window namespace) in one queue per clock, so a due timer goes straight to its window. A record of a window that
 * is already open allocates nothing. Semantics follow Flink: a window is late once
 * `end - 1 + allowedLateness ≤ watermark` (event time), a record is late when all its windows are late and
 * `timestamp + allowedLateness ≤ watermark`, session windows merge with Flink's `MergingWindowSet` rules,
 * results carry `window.end - 1`, and a clean-up timer at `end - 1 + allowedLateness` drops each window.
 *
 * @example
 * ```ts
 * const spec = WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).reduce((a, b) => a + b);
 * const op = new WindowOperator(spec, host);
 * op.processElement('a', 1, 3);
 * op.processElement('a', 2, 7);
 * op.advanceWatermark(9); // the host's watermark reached 9: host.emit(3, 9)
 * ```
 */
export class WindowOperator<K, IN, OUT, W extends Window = Window> implements SlotTimers {
  private readonly keys = new Map<K, KeySlots>();
  private readonly eventQueue = new SlotTimerQueue();
  private readonly processingQueue = new SlotTimerQueue();
  private readonly liveEvent = (time: number, slot: WindowSlot): boolean => hasTime(slot.eventTimers, time);
  private readonly liveProcessing = (time: number, slot: WindowSlot): boolean =>
    hasTime(slot.processingTimers, time);
  private readonly bounds: number[] = [0, 0];
  private readonly assigner: WindowAssigner;
  private readonly trigger: Trigger<IN>;
  private readonly contents: WindowContents<K, IN, OUT>;
  private readonly lateness: number;
  private readonly eventTime: boolean;
  private readonly merging: boolean;
  /** Tumbling event-time windows: a timestamp has exactly one window, the one that contains it. */
  private readonly tumbling: boolean;
  private readonly lateToSideOutput: boolean;
  private readonly ctx: SlotTriggerContext<K>;
  private firingTimestamp = 0;
  private readonly emitResult = (value: OUT): void => {
    this.host.emit(value, this.firingTimestamp);
  };
  private dropped = 0;
  private readonly keyOf: (key: K) => K;
  /** The merged trigger states of a merge of one session (reused: `mergedStates()` is read during `onMerge`). */
  private readonly oneState: unknown[] = [undefined];

  constructor(
    spec: WindowedStreamSpec<IN, OUT, K, W>,
    private readonly host: WindowHost<OUT>,
    options: WindowOperatorOptions = {},
  ) {
    this.assigner = spec.assigner;
    this.trigger = spec.trigger;
    this.contents = windowContentsFor(spec.fn, spec.evictor, options.instantiate);
    this.keyOf = (options.keyOf ?? ((key: unknown) => key)) as (key: K) => K;
    this.lateness = spec.allowedLateness;
    this.eventTime = spec.assigner.isEventTime();
    this.merging = spec.assigner.isMerging();
    this.tumbling = spec.assigner instanceof TumblingEventTimeWindows;
    this.lateToSideOutput = spec.lateTag !== undefined;
    this.ctx = new SlotTriggerContext(host.clocks, this);
  }

  /** Late records dropped because the spec has no late side output (Flink's `numLateRecordsDropped`). */
  get droppedLateRecords(): number {
    return this.dropped;
  }

  /** How many keys have open windows. */
  get keyCount(): number {
    return this.keys.size;
  }

  /** Whether `key` has open windows. */
  hasKey(key: K): boolean {
    return this.keys.has(key);
  }

  /** The keys that have open windows (to snapshot them by key group). */
  openKeys(): IterableIterator<K> {
    return this.keys.keys();
  }

  /** Adds a record of `key` with event time `timestamp` to its windows; runs in `key`'s context. */
  processElement(key: K, value: IN, timestamp: number): void {
    if (this.tumbling) {
      // Tumbling event-time windows: the key's newest window, when it contains the timestamp, is the record's
      // window (the usual case with timestamps in near order), found without computing any bounds.
      const entry = this.keys.get(key);
      const newest = entry === undefined ? undefined : Array.isArray(entry) ? entry[entry.length - 1] : entry;
      if (
        newest !== undefined &&
        newest.start <= timestamp &&
        timestamp < newest.end &&
        this.lateness + newest.end - 1 > this.host.clocks.currentWatermark()
      ) {
        this.addTo(key, newest, value, timestamp);
        return;
      }
    }
    const clocks = this.host.clocks;
    const bounds = this.bounds;
    const n = this.assigner.assign(timestamp, clocks, bounds);
    const watermark = this.eventTime ? clocks.currentWatermark() : Number.NEGATIVE_INFINITY;
    let accepted = false;
    for (let i = 0; i < n; i++) {
      const start = bounds[2 * i] ?? 0;
      const end = bounds[2 * i + 1] ?? 0;
      const slot = this.merging
        ? this.mergedSlot(key, start, end, watermark)
        : this.slotFor(key, start, end, watermark);
      if (slot === undefined) continue;
      accepted = true;
      this.addTo(key, slot, value, timestamp);
    }
    if (!accepted && this.eventTime && timestamp + this.lateness <= watermark) {
      if (this.lateToSideOutput) this.host.emitLate(value, timestamp);
      else this.dropped++;
    }
  }

  /** Adds a record to an open window: contents, trigger, clean-up timer. */
  private addTo(key: K, slot: WindowSlot, value: IN, timestamp: number): void {
    slot.contents = this.contents.add(slot.contents, value, timestamp);
    const result = this.trigger.onElement(value, timestamp, slot, this.ctx.bind(key, slot));
    if (result !== 'CONTINUE') this.act(key, slot, result);
    this.registerCleanupTimer(key, slot);
  }

  /** The watermark reached `watermark`: fires every event-time timer due, in time order, each in its key's context. */
  advanceWatermark(watermark: number): void {
    this.fire(this.eventQueue, watermark, true);
  }

  /** The processing time reached `now`: fires every processing-time timer due, in time order. */
  advanceProcessingTime(now: number): void {
    const queue = this.processingQueue;
    this.fire(queue, now, false);
    if (queue.size > 0) this.host.wakeUpAt(queue.peekTime());
  }

  /** How many timer entries the queues hold (stale ones included), event and processing time. */
  get timerEntries(): number {
    return this.eventQueue.size + this.processingQueue.size;
  }

  /** Used by the trigger context: `slot` of `key` gained a timer at `time`. */
  added(key: unknown, slot: WindowSlot, time: number, event: boolean): void {
    if (event) {
      this.eventQueue.push(time, key, slot);
      return;
    }
    const queue = this.processingQueue;
    const earliest = queue.peekTime();
    queue.push(time, key, slot);
    if (time < earliest) this.host.wakeUpAt(time);
  }

  /** Used by the trigger context: `slot` lost its timer at `time` before it was due. */
  forgot(_slot: WindowSlot, _time: number, event: boolean): void {
    if (event) this.eventQueue.forgot(this.liveEvent);
    else this.processingQueue.forgot(this.liveProcessing);
  }

  /** Copies every key's open windows (contents, trigger state, timers). */
  snapshot(): WindowOperatorSnapshot<K> {
    const keys: { key: K; windows: WindowSlotSnapshot[] }[] = [];
    for (const [key, entry] of this.keys) keys.push({ key, windows: this.snapshotSlots(entry) });
    return { keys };
  }

  /** Copies the open windows of one key (`undefined` when it has none). */
  snapshotKey(key: K): WindowSlotSnapshot[] | undefined {
    const entry = this.keys.get(key);
    return entry === undefined ? undefined : this.snapshotSlots(entry);
  }

  /** Replaces everything (windows and their timers) with `snapshot`. */
  restore(snapshot: WindowOperatorSnapshot<K>): void {
    this.keys.clear();
    this.eventQueue.clear();
    this.processingQueue.clear();
    for (const { key, windows } of snapshot.keys) this.restoreKey(key, windows);
  }

  /** Adds the windows of `key` (which has none yet), with their timers. */
  restoreKey(key: K, windows: readonly WindowSlotSnapshot[]): void {
    let entry = this.keys.get(key);
    for (const w of windows) {
      // A global window's bounds are ±Infinity, which JSON turns into null.
      const slot = WindowSlot.of(w.start ?? Number.NEGATIVE_INFINITY, w.end ?? Number.POSITIVE_INFINITY);
      slot.contents = 'contents' in w ? this.contents.copy(w.contents) : NO_CONTENTS;
      slot.triggerState = w.triggerState;
      entry = this.merging ? withSlot(entry, slot) : withSlotInOrder(entry, slot);
      this.ctx.bind(key, slot);
      for (const t of w.eventTimers) this.ctx.registerEventTimeTimer(t);
      for (const t of w.processingTimers) this.ctx.registerProcessingTimeTimer(t);
    }
    if (entry !== undefined) this.keys.set(key, entry);
  }

  /** The distinct times of the timers the windows of `key` have, ascending. */
  timersOf(key: K): { eventTime: number[]; processingTime: number[] } {
    const event = new Set<number>();
    const processing = new Set<number>();
    for (const slot of slotList(this.keys.get(key))) {
      for (const t of timesOf(slot.eventTimers)) event.add(t);
      for (const t of timesOf(slot.processingTimers)) processing.add(t);
    }
    const ascending = (a: number, b: number): number => a - b;
    return { eventTime: [...event].sort(ascending), processingTime: [...processing].sort(ascending) };
  }

  private snapshotSlots(entry: KeySlots): WindowSlotSnapshot[] {
    return slotList(entry).map((slot) => ({
      start: slot.start,
      end: slot.end,
      ...(slot.contents === NO_CONTENTS ? {} : { contents: this.contents.copy(slot.contents) }),
      ...(slot.triggerState === undefined ? {} : { triggerState: slot.triggerState }),
      eventTimers: timesOf(slot.eventTimers),
      processingTimers: timesOf(slot.processingTimers),
    }));
  }

  /** The time at which a window ending at `end` is dropped. */
  private cleanupTime(end: number): number {
    return this.eventTime ? end - 1 + this.lateness : end - 1;
  }

  /** The open slot of a non-merging window, created on first use; `undefined` when the window is late. */
  private slotFor(key: K, start: number, end: number, watermark: number): WindowSlot | undefined {
    if (this.eventTime && this.cleanupTime(end) <= watermark) return undefined;
    const entry = this.keys.get(key);
    const found = findSlot(entry, start, end);
    if (found !== undefined) return found;
    const slot = WindowSlot.of(start, end);
    const updated = withSlotInOrder(entry, slot);
    if (updated !== entry) this.keys.set(key, updated);
    return slot;
  }

  /**
   * The session a new window `[start, end)` ends up in (Flink's `MergingWindowSet.addWindow`): a new session,
   * the open session that covers it, or a new slot merging every open session it overlaps or touches (their
   * contents merged, the trigger's `onMerge` called, the merged slots cleared). `undefined` when late.
   */
  private mergedSlot(key: K, start: number, end: number, watermark: number): WindowSlot | undefined {
    const entry = this.keys.get(key);
    let first: WindowSlot | undefined;
    let overlapping: WindowSlot[] | undefined;
    let mergedStart = start;
    let mergedEnd = end;
    const count = entry === undefined ? 0 : Array.isArray(entry) ? entry.length : 1;
    for (let i = 0; i < count; i++) {
      const slot = Array.isArray(entry) ? (entry[i] as WindowSlot) : (entry as WindowSlot);
      if (slot.start > end || slot.end < start) continue;
      if (first === undefined) first = slot;
      else (overlapping ??= [first]).push(slot);
      mergedStart = Math.min(mergedStart, slot.start);
      mergedEnd = Math.max(mergedEnd, slot.end);
    }
    if (this.eventTime && this.cleanupTime(mergedEnd) <= watermark) return undefined;
    if (first === undefined) {
      const slot = WindowSlot.of(start, end);
      this.keys.set(key, withSlot(entry, slot));
      return slot;
    }
    if (overlapping === undefined && first.start === mergedStart && first.end === mergedEnd) return first;
    if (overlapping === undefined && first.canMoveTo(mergedStart, mergedEnd)) {
      // The common case, a session that grows: it keeps its slot and its contents, nothing is allocated. As for
      // a new merged window, the old window's trigger state and timers are cleared and the trigger's onMerge
      // sees its state as the one merged state (the one-state list is reused).
      this.oneState[0] = first.triggerState;
      this.trigger.clear(first, this.ctx.bind(key, first));
      this.forgetTimers(first);
      first.triggerState = undefined;
      first.moveTo(mergedStart, mergedEnd);
      this.trigger.onMerge(first, this.ctx.bindMerge(key, first, this.oneState));
      this.oneState[0] = undefined;
      return first;
    }
    overlapping ??= [first];
    const merged = WindowSlot.of(mergedStart, mergedEnd);
    for (const old of overlapping) {
      if (old.contents === NO_CONTENTS) continue;
      merged.contents =
        merged.contents === NO_CONTENTS ? old.contents : this.contents.merge(merged.contents, old.contents);
    }
    this.keys.set(key, withSlot(entry, merged));
    const states = overlapping.map((old) => old.triggerState);
    this.trigger.onMerge(merged, this.ctx.bindMerge(key, merged, states));
    for (const old of overlapping) {
      this.trigger.clear(old, this.ctx.bind(key, old));
      this.dropSlot(key, old);
    }
    return merged;
  }

  /** Pops and fires the timers of `queue` due at `upTo`. */
  private fire(queue: SlotTimerQueue, upTo: number, event: boolean): void {
    const host = this.host;
    while (!host.halted() && queue.popDue(upTo)) {
      const time = queue.time;
      const slot = queue.slot as WindowSlot;
      if (!this.takeTimer(slot, time, event)) {
        queue.skipped();
        continue;
      }
      const key = queue.key as K;
      host.enterKey(key, time);
      this.slotTimer(key, slot, time, event);
    }
  }

  /** Removes the timer at `time` from `slot`; whether it had one (a dropped slot has none). */
  private takeTimer(slot: WindowSlot, time: number, event: boolean): boolean {
    if (event) {
      if (!hasTime(slot.eventTimers, time)) return false;
      slot.eventTimers = withoutTime(slot.eventTimers, time);
    } else {
      if (!hasTime(slot.processingTimers, time)) return false;
      slot.processingTimers = withoutTime(slot.processingTimers, time);
    }
    return true;
  }

  private slotTimer(key: K, slot: WindowSlot, time: number, event: boolean): void {
    const ctx = this.ctx.bind(key, slot);
    const result = event
      ? this.trigger.onEventTime(time, slot, ctx)
      : this.trigger.onProcessingTime(time, slot, ctx);
    if (result !== 'CONTINUE') this.act(key, slot, result);
    if (this.eventTime === event && time === this.cleanupTime(slot.end)) {
      this.trigger.clear(slot, this.ctx.bind(key, slot));
      slot.contents = NO_CONTENTS;
      this.dropSlot(key, slot);
    }
  }

  /** Fires and/or purges `slot` as the trigger said. */
  private act(key: K, slot: WindowSlot, result: TriggerResult): void {
    if ((result === 'FIRE' || result === 'FIRE_AND_PURGE') && slot.contents !== NO_CONTENTS) {
      const window = this.assigner.window(slot.start, slot.end);
      this.firingTimestamp = window.maxTimestamp();
      slot.contents = this.contents.fire(
        this.keyOf(key),
        window,
        slot.contents,
        this.host.clocks,
        this.emitResult,
      );
    }
    if (result === 'PURGE' || result === 'FIRE_AND_PURGE') slot.contents = NO_CONTENTS;
  }

  private registerCleanupTimer(key: K, slot: WindowSlot): void {
    const time = this.cleanupTime(slot.end);
    if (time === Number.POSITIVE_INFINITY) return;
    if (this.eventTime) {
      if (!hasTime(slot.eventTimers, time)) this.ctx.bind(key, slot).registerEventTimeTimer(time);
    } else if (!hasTime(slot.processingTimers, time)) {
      this.ctx.bind(key, slot).registerProcessingTimeTimer(time);
    }
  }

  /** Removes `slot` from its key; its timers that are not due yet become stale entries of the queues. */
  private dropSlot(key: K, slot: WindowSlot): void {
    const before = this.keys.get(key);
    const entry = withoutSlot(before, slot);
    if (entry === undefined) this.keys.delete(key);
    else if (entry !== before) this.keys.set(key, entry);
    this.forgetTimers(slot);
  }

  /** Forgets every timer of `slot`. */
  private forgetTimers(slot: WindowSlot): void {
    const event = slot.eventTimers;
    const processing = slot.processingTimers;
    slot.eventTimers = undefined;
    slot.processingTimers = undefined;
    if (typeof event === 'number') this.eventQueue.forgot(this.liveEvent);
    else if (event !== undefined)
      for (let i = 0; i < event.length; i++) this.eventQueue.forgot(this.liveEvent);
    if (typeof processing === 'number') this.processingQueue.forgot(this.liveProcessing);
    else if (processing !== undefined) {
      for (let i = 0; i < processing.length; i++) this.processingQueue.forgot(this.liveProcessing);
    }
  }
}
