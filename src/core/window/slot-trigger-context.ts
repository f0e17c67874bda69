import type { OnMergeContext } from '../api/window/on-merge-context.js';
import { anySlotHasTimer, type KeySlots } from './key-slots.js';
import { hasTime, withoutTime, withTime } from './time-set.js';
import type { TimerService } from './window-host.js';
import type { WindowSlot } from './window-slot.js';

const NO_STATES: readonly unknown[] = [];

/**
 * The trigger context of the window engine, bound to one key and one slot before each trigger call (one object
 * per operator, so trigger calls allocate nothing). A slot remembers its own timers; the host's keyed timer
 * service gets one registration per key and time, deleted once no slot of the key needs that time.
 *
 * @example
 * ```ts
 * const ctx = new SlotTriggerContext(timers, keys);
 * trigger.onElement(value, timestamp, slot, ctx.bind(key, slot));
 * ```
 */
export class SlotTriggerContext<K> implements OnMergeContext {
  private key!: K;
  private slot!: WindowSlot;
  private merged: readonly unknown[] = NO_STATES;

  constructor(
    private readonly timers: TimerService,
    private readonly keys: Map<K, KeySlots>,
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
    return this.timers.currentWatermark();
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  registerEventTimeTimer(time: number): void {
    const slot = this.slot;
    if (hasTime(slot.eventTimers, time)) return;
    slot.eventTimers = withTime(slot.eventTimers, time);
    this.timers.registerEventTimeTimer(time);
  }

  registerProcessingTimeTimer(time: number): void {
    const slot = this.slot;
    if (hasTime(slot.processingTimers, time)) return;
    slot.processingTimers = withTime(slot.processingTimers, time);
    this.timers.registerProcessingTimeTimer(time);
  }

  deleteEventTimeTimer(time: number): void {
    const slot = this.slot;
    if (!hasTime(slot.eventTimers, time)) return;
    slot.eventTimers = withoutTime(slot.eventTimers, time);
    if (!anySlotHasTimer(this.keys.get(this.key), true, time)) this.timers.deleteEventTimeTimer(time);
  }

  deleteProcessingTimeTimer(time: number): void {
    const slot = this.slot;
    if (!hasTime(slot.processingTimers, time)) return;
    slot.processingTimers = withoutTime(slot.processingTimers, time);
    if (!anySlotHasTimer(this.keys.get(this.key), false, time)) this.timers.deleteProcessingTimeTimer(time);
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
