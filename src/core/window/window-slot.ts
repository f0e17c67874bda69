import { TimeWindow } from '../api/window/time-window.js';
import type { TimeSet } from './time-set.js';

/** The `contents` of a window that holds nothing (no record since it opened or since its last purge). */
export const NO_CONTENTS: unique symbol = Symbol('no window contents');

/**
 * One open window of one key, as the engine stores it: its bounds, its contents (an accumulator, or the records
 * when a process function or an evictor needs them), its trigger's state and its timers. Triggers see the slot
 * itself as their window, so that handling a record allocates nothing; a session that grows keeps its slot (the
 * engine moves its bounds), so only a merge of two open sessions allocates one.
 *
 * @example
 * ```ts
 * const slot = new WindowSlot(0, 10);
 * slot.maxTimestamp(); // 9
 * ```
 */
export class WindowSlot extends TimeWindow {
  declare start: number;
  declare end: number;
  contents: unknown = NO_CONTENTS;
  triggerState: unknown = undefined;
  eventTimers: TimeSet = undefined;
  processingTimers: TimeSet = undefined;
}
