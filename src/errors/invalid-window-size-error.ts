import { SageError } from './sage-error.js';

/**
 * A window, count, evictor or offset was given a size that is not a positive finite number (or an offset
 * outside the window).
 *
 * @example
 * ```ts
 * TumblingEventTimeWindows.of(0);
 * // InvalidWindowSizeError: TumblingEventTimeWindows.of needs a size > 0 ms, got 0: pass the window length in milliseconds
 * ```
 */
export class InvalidWindowSizeError extends SageError {}
