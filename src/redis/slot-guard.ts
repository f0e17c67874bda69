import { CrossSlotError } from '../errors/cross-slot-error.js';
import { hashTag, keySlot } from './key-slot.js';

/** Key lists remembered before the memory is cleared (a bound, not a tuning knob). */
const REMEMBERED = 4096;

/**
 * Checks, before a script runs on Redis Cluster, that all its keys hash to one slot, and throws a
 * `CrossSlotError` naming them otherwise (rather than the server's `CROSSSLOT` at run time). The common case,
 * every key carrying the same hash tag, costs a few string comparisons; other key lists are hashed (CRC16, as
 * the server does) once and remembered, so a task's commits are checked once per shape of their key list.
 *
 * @example
 * ```ts
 * const guard = new SlotGuard();
 * guard.check(['{job:1:0}:lease', '{job:1:0}:pos']); // fine
 * guard.check(['{job:1:0}:lease', 'counts'], 'job:1:0'); // throws CrossSlotError
 * ```
 */
export class SlotGuard {
  private readonly checked = new Set<string>();

  /** Throws a `CrossSlotError` when `keys` span more than one hash slot; `task` names whose commit it is. */
  check(keys: readonly string[], task?: string): void {
    if (keys.length < 2) return;
    const tag = hashTag(keys[0] as string);
    let same = true;
    for (let i = 1; i < keys.length && same; i++) same = hashTag(keys[i] as string) === tag;
    if (same) return;
    const shape = keys.join('\n');
    if (this.checked.has(shape)) return;
    const slots = keys.map(keySlot);
    if (slots.some((s) => s !== slots[0])) throw new CrossSlotError(keys, slots, task);
    if (this.checked.size >= REMEMBERED) this.checked.clear();
    this.checked.add(shape);
  }
}
