import { hasTime } from './time-set.js';
import { WindowSlot } from './window-slot.js';

/**
 * The open windows of one key: a single slot (the usual case: no array is allocated) or an array of two or more.
 *
 * @example
 * ```ts
 * const entry: KeySlots = new WindowSlot(0, 10);
 * ```
 */
export type KeySlots = WindowSlot | WindowSlot[];

/** The slot with exactly these bounds, if the key has it. */
export function findSlot(entry: KeySlots | undefined, start: number, end: number): WindowSlot | undefined {
  if (entry === undefined) return undefined;
  if (entry instanceof WindowSlot) return entry.start === start && entry.end === end ? entry : undefined;
  for (const slot of entry) if (slot.start === start && slot.end === end) return slot;
  return undefined;
}

/** `entry` with `slot` added. */
export function withSlot(entry: KeySlots | undefined, slot: WindowSlot): KeySlots {
  if (entry === undefined) return slot;
  if (entry instanceof WindowSlot) return [entry, slot];
  entry.push(slot);
  return entry;
}

/** `entry` without `slot` (`undefined` once empty). */
export function withoutSlot(entry: KeySlots | undefined, slot: WindowSlot): KeySlots | undefined {
  if (entry === undefined || entry instanceof WindowSlot) return entry === slot ? undefined : entry;
  const i = entry.indexOf(slot);
  if (i >= 0) entry.splice(i, 1);
  if (entry.length === 1) return entry[0];
  return entry.length === 0 ? undefined : entry;
}

/** The slots of `entry` as an array (a new one for a single slot). */
export function slotList(entry: KeySlots | undefined): readonly WindowSlot[] {
  if (entry === undefined) return [];
  return entry instanceof WindowSlot ? [entry] : entry;
}

/** Whether any slot of `entry` has an event-time (`event` true) or processing-time timer at `time`. */
export function anySlotHasTimer(entry: KeySlots | undefined, event: boolean, time: number): boolean {
  if (entry === undefined) return false;
  if (entry instanceof WindowSlot) return hasTime(event ? entry.eventTimers : entry.processingTimers, time);
  for (const slot of entry) if (hasTime(event ? slot.eventTimers : slot.processingTimers, time)) return true;
  return false;
}
