/**
 * The key under which a process step's context holds its internal "emit with this timestamp" function (not part
 * of the public `ProcessContext`): operators built on a process function, such as the interval join, use it to give
 * a result an event time other than the current record's (Flink's `TimestampedCollector.setAbsoluteTimestamp`).
 *
 * @example
 * ```ts
 * const emitAt = (this.ctx as unknown as OutputAtContext)[OUTPUT_AT];
 * emitAt(result, Math.max(leftTs, rightTs));
 * ```
 */
export const OUTPUT_AT: unique symbol = Symbol('sage-kernel output at');

/** A process step's context, seen for its internal {@link OUTPUT_AT} function. */
export interface OutputAtContext {
  /** Emits `value` downstream now, with the current key and event time `timestamp`. */
  readonly [OUTPUT_AT]: (value: unknown, timestamp: number) => void;
}
