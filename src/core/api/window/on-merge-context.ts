import type { TriggerContext } from './trigger-context.js';

/**
 * The context of `Trigger.onMerge`: the trigger context of the merged window, plus the trigger states of the
 * windows merged into it (Flink's `OnMergeContext.mergePartitionedState`, done by the trigger itself).
 *
 * @example
 * ```ts
 * onMerge(window: Window, ctx: OnMergeContext<number>): void {
 *   ctx.setState(ctx.mergedStates().reduce<number>((sum, n) => sum + (n ?? 0), 0));
 * }
 * ```
 */
export interface OnMergeContext<S = unknown> extends TriggerContext<S> {
  /** The states of the windows being merged (the new window starts with no state of its own); valid during `onMerge` only. */
  mergedStates(): readonly (S | undefined)[];
}
