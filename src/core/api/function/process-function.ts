import { BaseFunction } from './base-function.js';
import type { ProcessContext } from './process-context.js';

/** What `processElement`, `onTimer` and `finish` may return: one output, nothing, or a Promise of either. */
export type ProcessResult<O> = O | undefined | void | PromiseLike<O | undefined | void>;

/**
 * The lowest-level step (Flink's `ProcessFunction`), for any stream: `processElement(value)` returns one
 * output (`undefined`: none) and/or passes outputs to `this.collect(x)`; `this.ctx.timestamp()` is the record's
 * event time, `this.ctx.output(tag, x)` sends to a side output, `this.ctx.timerService` tells the time. An
 * optional `finish()` runs once per instance at the end of input (after the final watermark) and may emit the
 * same way; `close()` runs after it. Timers need a keyed stream: see {@link KeyedProcessFunction}.
 *
 * @example
 * ```ts
 * class Split extends ProcessFunction<number, number> {
 *   processElement(x: number) {
 *     if (x < 0) this.ctx.output(negative, x);
 *     else return x;
 *   }
 * }
 * ```
 */
export abstract class ProcessFunction<I, O> extends BaseFunction {
  declare ctx: ProcessContext;
  private collected: O[] | undefined;

  abstract processElement(value: I): ProcessResult<O>;

  /** Emits `item` (after what the current call returns). */
  collect(item: O): void {
    (this.collected ??= []).push(item);
  }

  /** Used by the runtime: returns and forgets the items collected since the last call. */
  takeCollected(): readonly O[] | undefined {
    const items = this.collected;
    this.collected = undefined;
    return items;
  }
}
