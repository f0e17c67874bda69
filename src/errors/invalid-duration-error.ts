import { describeValue } from './describe-value.js';
import { SageError } from './sage-error.js';

/**
 * A duration in milliseconds that is not a finite number ≥ 0 (or > 0 where zero makes no sense): an
 * out-of-orderness, an idleness timeout, a watermark interval, a timer time.
 *
 * @example
 * ```ts
 * WatermarkStrategy.forBoundedOutOfOrderness(-5); // InvalidDurationError: forBoundedOutOfOrderness: …
 * ```
 */
export class InvalidDurationError extends SageError {
  constructor(
    readonly where: string,
    readonly value: unknown,
    expected = 'a finite number of milliseconds ≥ 0',
  ) {
    super(`${where}: expected ${expected}, got ${describeValue(value)}`);
  }
}
