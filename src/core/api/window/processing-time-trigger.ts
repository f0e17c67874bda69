import type { OnMergeContext } from './on-merge-context.js';
import { Trigger } from './trigger.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Fires a window once the processing time (the job scheduler's clock) passes its end. The default trigger of
 * processing-time windows (Flink's `ProcessingTimeTrigger`).
 *
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(1_000)).trigger(ProcessingTimeTrigger.create()).reduce(sum);
 * ```
 */
export class ProcessingTimeTrigger extends Trigger {
  /** A processing-time trigger (stateless, so one object serves every window). */
  static create(): ProcessingTimeTrigger {
    return new ProcessingTimeTrigger();
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }

  override onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'FIRE';
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(window: Window, ctx: OnMergeContext): void {
    const end = window.maxTimestamp();
    if (end > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(end);
  }

  override clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
}
