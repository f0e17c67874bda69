import { Trigger } from './trigger.js';
import type { TriggerResult } from './trigger-result.js';

/**
 * Never fires: the default trigger of `GlobalWindows`, which only fire through a trigger set with `.trigger(t)`.
 *
 * @example
 * ```ts
 * GlobalWindows.create().defaultTrigger(); // a NeverTrigger
 * ```
 */
export class NeverTrigger extends Trigger {
  onElement(): TriggerResult {
    return 'CONTINUE';
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(): void {
    // nothing to merge: it has no state and no timers
  }
}
