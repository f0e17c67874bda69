import type { OnMergeContext } from '../api/window/on-merge-context.js';
import { hasTime, withoutTime, withTime } from './time-set.js';
import type { WindowClocks } from './window-host.js';
import type { WindowSlot } from './window-slot.js';

const NO_STATES: readonly unknown[] = [];

/** Where the trigger context files a slot's timers: the engine's timer queues. */
export interface SlotTimers {
  /** `slot` of `key` gained a timer at `time`. */
  added(key: unknown, slot: WindowSlot, time: number, event: boolean): void;
  /** `slot` lost its timer at `time` (it is not due yet). */
  forgot(slot: WindowSlot, time: number, event: boolean): void;
}

/**
 * The trigger context of the window engine, bound to one key and one slot before each trigger call (one object
 * per operator, so trigger calls allocate nothing). Timers belong to the slot (Flink's timers in a window's
 * namespace): the slot remembers its times, deduplicated, and the engine's queues get one entry per slot and time.
 *
 * @example
 * ```ts
 * const ctx = new SlotTriggerContext(clocks, timers);
 * trigger.onElement(value, timestamp, slot, ctx.bind(key, slot));
 * ```
 */
export class SlotTriggerContext<K> implements OnMergeContext {
  private key!: K;
  private slot!: WindowSlot;
  private merged: readonly unknown[] = NO_STATES;

  constructor(
    private readonly clocks: WindowClocks,
    private readonly timers: SlotTimers,
  ) {}

  /** Binds the context to `slot` of `key` (and forgets merged states). */
  bind(key: K, slot: WindowSlot): this {
    this.key = key;
    this.slot = slot;
    this.merged = NO_STATES;
    return this;
  }

  /** Binds the context to a merged slot and the trigger states of the slots merged into it. */
  bindMerge(key: K, slot: WindowSlot, mergedStates: readonly unknown[]): this {
    this.bind(key, slot);
    this.merged = mergedStates;
    return this;
  }

  currentWatermark(): number {
    return this.clocks.currentWatermark();
  }

  currentProcessingTime(): number {
    return this.clocks.currentProcessingTime();
  }

  registerEventTimeTimer(time: number): void {
    const slot = this.slot;
    if (hasTime(slot.eventTimers, time)) return;
    slot.eventTimers = withTime(slot.eventTimers, time);
    this.timers.added(this.key, slot, time, true);
  }

  registerProcessingTimeTimer(time: number): void {
    const slot = this.slot;
    if (hasTime(slot.processingTimers, time)) return;
    slot.processingTimers = withTime(slot.processingTimers, time);
    this.timers.added(this.key, slot, time, false);
  }

  deleteEventTimeTimer(time: number): void {
    const slot = this.slot;
    if (!hasTime(slot.eventTimers, time)) return;
    slot.eventTimers = withoutTime(slot.eventTimers, time);
    this.timers.forgot(slot, time, true);
  }

  deleteProcessingTimeTimer(time: number): void {
    const slot = this.slot;
    if (!hasTime(slot.processingTimers, time)) return;
    slot.processingTimers = withoutTime(slot.processingTimers, time);
    this.timers.forgot(slot, time, false);
  }

  getState(): unknown {
    return this.slot.triggerState;
  }

  setState(state: unknown): void {
    this.slot.triggerState = state;
  }

  mergedStates(): readonly unknown[] {
    return this.merged;
  }
}
