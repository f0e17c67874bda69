import type { OnMergeContext } from '../../src/index.js';

/**
 * A trigger context for calling triggers directly: set `watermark`, `now` and `merged`; it records the timers the
 * trigger sets and keeps one state value.
 *
 * @example
 * ```ts
 * const ctx = new RecordingTriggerContext();
 * EventTimeTrigger.create().onElement(1, 3, new TimeWindow(0, 10), ctx);
 * ctx.eventTimers; // [9]
 * ```
 */
export class RecordingTriggerContext<S = unknown> implements OnMergeContext<S> {
  watermark = Number.NEGATIVE_INFINITY;
  now = 0;
  state: S | undefined;
  merged: (S | undefined)[] = [];
  readonly eventTimers: number[] = [];
  readonly processingTimers: number[] = [];

  currentWatermark(): number {
    return this.watermark;
  }

  currentProcessingTime(): number {
    return this.now;
  }

  registerEventTimeTimer(time: number): void {
    if (!this.eventTimers.includes(time)) this.eventTimers.push(time);
  }

  registerProcessingTimeTimer(time: number): void {
    if (!this.processingTimers.includes(time)) this.processingTimers.push(time);
  }

  deleteEventTimeTimer(time: number): void {
    const i = this.eventTimers.indexOf(time);
    if (i >= 0) this.eventTimers.splice(i, 1);
  }

  deleteProcessingTimeTimer(time: number): void {
    const i = this.processingTimers.indexOf(time);
    if (i >= 0) this.processingTimers.splice(i, 1);
  }

  getState(): S | undefined {
    return this.state;
  }

  setState(state: S | undefined): void {
    this.state = state;
  }

  mergedStates(): readonly (S | undefined)[] {
    return this.merged;
  }
}
