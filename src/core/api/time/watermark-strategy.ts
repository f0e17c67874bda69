import { InvalidDurationError } from '../../../errors/invalid-duration-error.js';
import { InvalidFunctionError } from '../../../errors/invalid-function-error.js';
import type { TimestampAssigner, WatermarkSpec } from '../../transformation/timestamps-transformation.js';

/**
 * How `stream.assignTimestampsAndWatermarks(strategy)` gives records their event time and makes watermarks
 * (Flink's `WatermarkStrategy`). Every `autoWatermarkIntervalMs` (config, default 200) of the job's scheduler,
 * each instance emits the watermark `maxTimestamp - outOfOrderness - 1` when it rose: a record whose
 * timestamp is at most the watermark is late. Strategies are immutable: `withTimestampAssigner` and
 * `withIdleness` return new ones.
 *
 * @example
 * ```ts
 * clicks.assignTimestampsAndWatermarks(
 *   WatermarkStrategy.forBoundedOutOfOrderness<Click>(5_000)
 *     .withTimestampAssigner((c) => c.ts)
 *     .withIdleness(60_000),
 * );
 * ```
 */
export class WatermarkStrategy<T> {
  private constructor(private readonly spec: WatermarkSpec) {}

  /**
   * Timestamps that never go back: the watermark follows the largest timestamp seen (minus 1 ms).
   *
   * @example
   * ```ts
   * WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner((r) => r.at);
   * ```
   */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({ outOfOrdernessMs: 0 });
  }

  /**
   * Records may arrive up to `outOfOrdernessMs` late: the watermark trails the largest timestamp by that much.
   * A negative or non-finite bound throws InvalidDurationError.
   *
   * @example
   * ```ts
   * WatermarkStrategy.forBoundedOutOfOrderness<Click>(5_000).withTimestampAssigner((c) => c.ts);
   * ```
   */
  static forBoundedOutOfOrderness<T>(outOfOrdernessMs: number): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({
      outOfOrdernessMs: checkDuration('forBoundedOutOfOrderness', outOfOrdernessMs),
    });
  }

  /**
   * Timestamps without watermarks (only the end of a bounded input sends one, `+Infinity`).
   *
   * @example
   * ```ts
   * WatermarkStrategy.noWatermarks<Order>().withTimestampAssigner((o) => o.placedAt);
   * ```
   */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({ outOfOrdernessMs: undefined });
  }

  /**
   * The event time of each record: `fn(record, currentTimestamp)` returns it in ms (`currentTimestamp` is the
   * record's timestamp so far, `undefined` when it has none). Without an assigner records keep the timestamp
   * they have. A result that is not a number is an error of that record.
   *
   * @example
   * ```ts
   * WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner((r) => Date.parse(r.time));
   * ```
   */
  withTimestampAssigner(
    fn: (record: T, currentTimestamp: number | undefined) => number,
  ): WatermarkStrategy<T> {
    if (typeof fn !== 'function') {
      throw new InvalidFunctionError('withTimestampAssigner', 'a function (record) => timestamp in ms', fn);
    }
    return new WatermarkStrategy<T>({ ...this.spec, assigner: fn as TimestampAssigner });
  }

  /**
   * An instance that saw no record for `idlenessMs` of the job's scheduler is marked idle: its consumers leave
   * it out of their watermark (the minimum over their inputs) until it sends records again.
   *
   * @example
   * ```ts
   * WatermarkStrategy.forBoundedOutOfOrderness<Click>(1_000).withIdleness(60_000);
   * ```
   */
  withIdleness(idlenessMs: number): WatermarkStrategy<T> {
    if (typeof idlenessMs !== 'number' || !Number.isFinite(idlenessMs) || idlenessMs <= 0)
      throw new InvalidDurationError('withIdleness', idlenessMs, 'a finite number of milliseconds > 0');
    return new WatermarkStrategy<T>({ ...this.spec, idlenessMs });
  }

  /**
   * What the runtime needs of this strategy (used by `assignTimestampsAndWatermarks`).
   *
   * @internal
   */
  toSpec(): WatermarkSpec {
    return this.spec;
  }
}

function checkDuration(where: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new InvalidDurationError(where, ms);
  return ms;
}
