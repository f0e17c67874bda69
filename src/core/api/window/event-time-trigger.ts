import type { OnMergeContext } from './on-merge-context.js';
import { Trigger } from './trigger.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Fires a window once the watermark passes its end (`maxTimestamp()`), and again for every record that arrives
 * for it later within the allowed lateness. The default trigger of event-time windows (Flink's
 * `EventTimeTrigger`).
 *
 * @example
 * ```ts
 * keyed.window(TumblingEventTimeWindows.of(60_000)).trigger(EventTimeTrigger.create()).reduce((a, b) => a + b);
 * ```
 */
export class EventTimeTrigger extends Trigger {
  /** An event-time trigger (stateless, so one object serves every window). */
  static create(): EventTimeTrigger {
    return new EventTimeTrigger();
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const end = window.maxTimestamp();
    if (end <= ctx.currentWatermark()) return 'FIRE';
    ctx.registerEventTimeTimer(end);
    return 'CONTINUE';
  }

  override onEventTime(time: number, window: Window, _ctx: TriggerContext): TriggerResult {
    return time === window.maxTimestamp() ? 'FIRE' : 'CONTINUE';
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(window: Window, ctx: OnMergeContext): void {
    const end = window.maxTimestamp();
    if (end > ctx.currentWatermark()) ctx.registerEventTimeTimer(end);
  }

  override clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
}
