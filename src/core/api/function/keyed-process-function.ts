import type { TimeDomain } from '../time/time-domain.js';
import { ProcessFunction, type ProcessResult } from './process-function.js';

/**
 * A process function on a hash-keyed stream (Flink's `KeyedProcessFunction`): everything a
 * {@link ProcessFunction} has, plus keyed state (`this.ctx.state`) and timers. Timers set with
 * `this.ctx.timerService` call `onTimer(timestamp)` with the timer's key in context (`ctx.getKey()` and
 * `ctx.state` are that key's); it returns or collects outputs, which carry the timer's time as their
 * timestamp. Event-time timers fire when the watermark passes them (all of them at the end of a bounded
 * input), processing-time timers when the job scheduler's time reaches them. `K` is the key type.
 *
 * @example
 * ```ts
 * class Silence extends KeyedProcessFunction<string, Reading, string> {
 *   processElement(r: Reading) {
 *     this.ctx.timerService.registerProcessingTimeTimer(this.ctx.timerService.currentProcessingTime() + 5_000);
 *   }
 *   onTimer(time: number) { return `${String(this.ctx.getKey())}: no reading since ${time - 5_000}`; }
 * }
 * readings.keyBy((r) => r.sensor).process(Silence);
 * ```
 */
export abstract class KeyedProcessFunction<K, I, O> extends ProcessFunction<I, O> {
  /** The key type, for the checker only (never set). */
  declare readonly keyType?: K;

  /**
   * A timer of the current key fired at `timestamp` (ms) on the clock `domain` (`'event'` or `'processing'`);
   * by default nothing happens.
   */
  onTimer(_timestamp: number, _domain: TimeDomain): ProcessResult<O> {
    return undefined;
  }
}
