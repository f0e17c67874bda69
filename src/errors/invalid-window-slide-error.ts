import { SageError } from './sage-error.js';

/**
 * A sliding window's slide is not a positive number of milliseconds.
 *
 * @example
 * ```ts
 * SlidingEventTimeWindows.of(10_000, 0);
 * // InvalidWindowSlideError: SlidingEventTimeWindows.of needs a slide > 0 ms, got 0: ...
 * ```
 */
export class InvalidWindowSlideError extends SageError {}
