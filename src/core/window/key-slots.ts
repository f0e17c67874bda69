import { WindowSlot } from './window-slot.js';

/**
 * The open windows of one key: a single slot (the usual case: no array is allocated) or an array of two or more.
 *
 * @example
 * ```ts
 * const entry: KeySlots = WindowSlot.of(0, 10);
 * ```
 */
export type KeySlots = WindowSlot | WindowSlot[];

/**
 * The slot with exactly these bounds, if the key has it, in slots kept in ascending order of their start (by
 * {@link withSlotInOrder}). The latest windows are looked at first and the search stops at the first earlier
 * start: with timestamps in (nearly) ascending order it looks at one or two slots, however many are open.
 */
export function findSlot(entry: KeySlots | undefined, start: number, end: number): WindowSlot | undefined {
  if (entry === undefined) return undefined;
  if (!Array.isArray(entry)) return entry.start === start && entry.end === end ? entry : undefined;
  for (let i = entry.length - 1; i >= 0; i--) {
    const slot = entry[i] as WindowSlot;
    if (slot.start < start) return undefined;
    if (slot.start === start && slot.end === end) return slot;
  }
  return undefined;
}

/** `entry` with `slot` added where it keeps the slots in ascending order of their start. */
export function withSlotInOrder(entry: KeySlots | undefined, slot: WindowSlot): KeySlots {
  if (entry === undefined) return slot;
  if (!Array.isArray(entry)) return entry.start <= slot.start ? [entry, slot] : [slot, entry];
  let i = entry.length;
  entry.push(slot);
  while (i > 0 && (entry[i - 1] as WindowSlot).start > slot.start) {
    entry[i] = entry[i - 1] as WindowSlot;
    i--;
  }
  entry[i] = slot;
  return entry;
}

/** `entry` with `slot` added. */
export function withSlot(entry: KeySlots | undefined, slot: WindowSlot): KeySlots {
  if (entry === undefined) return slot;
  if (!Array.isArray(entry)) return [entry, slot];
  entry.push(slot);
  return entry;
}

/** `entry` without `slot` (`undefined` once empty). Allocates nothing (no `splice`). */
export function withoutSlot(entry: KeySlots | undefined, slot: WindowSlot): KeySlots | undefined {
  if (entry === undefined || !Array.isArray(entry)) return entry === slot ? undefined : entry;
  const i = entry.indexOf(slot);
  if (i >= 0) {
    for (let j = i + 1; j < entry.length; j++) entry[j - 1] = entry[j] as WindowSlot;
    entry.length--;
  }
  if (entry.length === 1) return entry[0];
  return entry.length === 0 ? undefined : entry;
}

/** The slots of `entry` as an array (a new one for a single slot). */
export function slotList(entry: KeySlots | undefined): readonly WindowSlot[] {
  if (entry === undefined) return [];
  return Array.isArray(entry) ? entry : [entry];
}
