import type { Window } from '../api/window/window.js';
import type { TimeSet } from './time-set.js';

/** The `contents` of a window that holds nothing (no record since it opened or since its last purge). */
export const NO_CONTENTS: unique symbol = Symbol('no window contents');

/**
 * One open window of one key, as the engine stores it: its bounds, its contents (an accumulator, or the records
 * when a process function or an evictor needs them), its trigger's state and its timers. Triggers see the slot
 * itself as their window, so that handling a record allocates nothing; a session that grows keeps its slot (the
 * engine moves its bounds). The start is kept as the window's length (a small integer for time windows, which
 * needs no heap number of its own); build slots with {@link WindowSlot.of}, which keeps the start itself for
 * bounds it cannot get back exactly that way (the global window's infinite ones).
 *
 * @example
 * ```ts
 * const slot = WindowSlot.of(0, 10);
 * slot.maxTimestamp(); // 9
 * ```
 */
export class WindowSlot implements Window {
  contents: unknown = NO_CONTENTS;
  triggerState: unknown = undefined;
  eventTimers: TimeSet = undefined;
  processingTimers: TimeSet = undefined;

  protected constructor(
    public end: number,
    /** `end - start`. */
    protected span: number,
  ) {}

  /** A slot for the window `[start, end)`. */
  static of(start: number, end: number): WindowSlot {
    return fitsSpan(start, end) ? new WindowSlot(end, end - start) : new WideWindowSlot(start, end);
  }

  get start(): number {
    return this.end - this.span;
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** Whether {@link moveTo} can move this slot to `[start, end)`. */
  canMoveTo(start: number, end: number): boolean {
    return fitsSpan(start, end);
  }

  /** Moves the slot to `[start, end)` (check {@link canMoveTo} first). */
  moveTo(start: number, end: number): void {
    this.end = end;
    this.span = end - start;
  }
}

/** A slot whose start cannot be computed back from its end and length (infinite or uneven bounds). */
class WideWindowSlot extends WindowSlot {
  constructor(
    private readonly first: number,
    end: number,
  ) {
    super(end, Number.NaN);
  }

  override get start(): number {
    return this.first;
  }

  override canMoveTo(): boolean {
    return false;
  }
}

function fitsSpan(start: number, end: number): boolean {
  return end - (end - start) === start;
}
