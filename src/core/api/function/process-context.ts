import type { TaskContext } from '../../../kernel/runtime/context/task-context.js';
import type { OutputTag } from '../time/output-tag.js';
import type { TimerService } from '../time/timer-service.js';

/**
 * The context of a process function (`this.ctx` in a `ProcessFunction` or `KeyedProcessFunction`): the usual
 * {@link TaskContext} (`getKey()`, `state`, `timestamp()`, services…) plus time, timers and side outputs.
 *
 * @example
 * ```ts
 * processElement(r: Reading) {
 *   if (r.value < 0) this.ctx.output(invalid, r);
 *   else this.ctx.timerService.registerEventTimeTimer((this.ctx.timestamp() ?? 0) + 60_000);
 * }
 * ```
 */
export interface ProcessContext extends TaskContext {
  /** Time and timers (timers only on a hash-keyed stream). */
  readonly timerService: TimerService;
  /** Sends `value` to the side output `tag`, with the current record's key and timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
}
