import type { OnMergeContext } from './on-merge-context.js';
import { Trigger } from './trigger.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Wraps a trigger so that every `'FIRE'` becomes `'FIRE_AND_PURGE'`: the window starts empty after each firing
 * (Flink's `PurgingTrigger`).
 *
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(10))).reduce(sum);
 * ```
 */
export class PurgingTrigger<T = unknown, W extends Window = Window, S = unknown> extends Trigger<T, W, S> {
  private constructor(readonly nested: Trigger<T, W, S>) {
    super();
  }

  /** `nested`, purging on every firing. */
  static of<T, W extends Window, S>(nested: Trigger<T, W, S>): PurgingTrigger<T, W, S> {
    return new PurgingTrigger(nested);
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext<S>): TriggerResult {
    return purging(this.nested.onElement(element, timestamp, window, ctx));
  }

  override onEventTime(time: number, window: W, ctx: TriggerContext<S>): TriggerResult {
    return purging(this.nested.onEventTime(time, window, ctx));
  }

  override onProcessingTime(time: number, window: W, ctx: TriggerContext<S>): TriggerResult {
    return purging(this.nested.onProcessingTime(time, window, ctx));
  }

  override canMerge(): boolean {
    return this.nested.canMerge();
  }

  override onMerge(window: W, ctx: OnMergeContext<S>): void {
    this.nested.onMerge(window, ctx);
  }

  override clear(window: W, ctx: TriggerContext<S>): void {
    this.nested.clear(window, ctx);
  }
}

function purging(result: TriggerResult): TriggerResult {
  return result === 'FIRE' ? 'FIRE_AND_PURGE' : result;
}
