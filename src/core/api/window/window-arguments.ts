import { InvalidWindowSizeError } from '../../../errors/invalid-window-size-error.js';
import { MissingTimestampError } from '../../../errors/missing-timestamp-error.js';

/**
 * Checks that `size` is a positive finite number, else throws `InvalidWindowSizeError` naming the call.
 *
 * @example
 * ```ts
 * positiveSize('TumblingEventTimeWindows.of', 'size', size, 'ms');
 * ```
 */
export function positiveSize(call: string, what: string, size: number, unit: string): number {
  if (!(Number.isFinite(size) && size > 0)) {
    throw new InvalidWindowSizeError(
      `${call} needs a ${what} > 0${unit === '' ? '' : ` ${unit}`}, got ${String(size)}: pass a positive finite number`,
    );
  }
  return size;
}

/**
 * Checks that a window offset is finite and smaller than the period it shifts (`|offset| < period`).
 *
 * @example
 * ```ts
 * checkedOffset('TumblingEventTimeWindows.of', offset, size);
 * ```
 */
export function checkedOffset(call: string, offset: number, period: number): number {
  if (!(Number.isFinite(offset) && Math.abs(offset) < period)) {
    throw new InvalidWindowSizeError(
      `${call} needs an offset with |offset| < ${String(period)} ms, got ${String(offset)}: ` +
        `pass the shift of the windows' alignment, e.g. -8 * 3_600_000 for days in UTC-8`,
    );
  }
  return offset;
}

/**
 * Returns `timestamp` when it is a finite number; otherwise throws `MissingTimestampError` (the record error of
 * an event-time window reached by a record without a timestamp).
 *
 * @example
 * ```ts
 * const t = eventTimestamp(timestamp, 'TumblingEventTimeWindows');
 * ```
 */
export function eventTimestamp(timestamp: number, assigner: string): number {
  if (!Number.isFinite(timestamp)) {
    throw new MissingTimestampError(
      `a record reached ${assigner} without a timestamp (got ${String(timestamp)}): ` +
        'call assignTimestampsAndWatermarks(...) before the window, or use processing-time windows',
    );
  }
  return timestamp;
}
