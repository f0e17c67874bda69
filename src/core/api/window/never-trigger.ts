import { Trigger } from './trigger.js';
import type { OnMergeContext } from './on-merge-context.js';
import type { TriggerContext } from './trigger-context.js';
import type { TriggerResult } from './trigger-result.js';
import type { Window } from './window.js';

/**
 * Never fires: the default trigger of `GlobalWindows`, which only fire through a trigger set with `.trigger(t)`.
 *
 * @example
 * ```ts
 * GlobalWindows.create().defaultTrigger(); // a NeverTrigger
 * ```
 */
export class NeverTrigger extends Trigger {
  onElement(_element: unknown, _timestamp: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return 'CONTINUE';
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: Window, _ctx: OnMergeContext): void {
    // nothing to merge: it has no state and no timers
  }
}
