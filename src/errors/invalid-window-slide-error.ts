import { SageError } from './sage-error.js';

/**
 * A sliding window's slide is not positive or is larger than its size (records between windows would be lost).
 *
 * @example
 * ```ts
 * SlidingEventTimeWindows.of(10_000, 60_000);
 * // InvalidWindowSlideError: the slide (60000 ms) is larger than the window size (10000 ms) ...
 * ```
 */
export class InvalidWindowSlideError extends SageError {}
