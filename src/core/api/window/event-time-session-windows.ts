import { EventTimeTrigger } from './event-time-trigger.js';
import { SessionWindows } from './session-windows.js';
import type { Trigger } from './trigger.js';
import { eventTimestamp } from './window-arguments.js';

/**
 * Session windows in event time: a session of a key lasts while its records are less than `gap` ms apart (by
 * timestamp) and fires when the watermark passes its last record + `gap` (Flink's `EventTimeSessionWindows`).
 *
 * @example
 * ```ts
 * keyed.window(EventTimeSessionWindows.withGap(30 * 60_000)).process(SessionSummary);
 * ```
 */
export class EventTimeSessionWindows extends SessionWindows {
  private constructor(gap: number) {
    super(gap, 'EventTimeSessionWindows.withGap');
  }

  /** Sessions that end after `gap` ms (> 0) without records. */
  static withGap(gap: number): EventTimeSessionWindows {
    return new EventTimeSessionWindows(gap);
  }

  protected timeOf(timestamp: number): number {
    return eventTimestamp(timestamp, 'EventTimeSessionWindows');
  }

  isEventTime(): boolean {
    return true;
  }

  defaultTrigger(): Trigger {
    return EventTimeTrigger.create();
  }
}
