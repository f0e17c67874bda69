import { SageError } from './sage-error.js';

/**
 * A session window was given a gap that is not a positive finite number of milliseconds.
 *
 * @example
 * ```ts
 * EventTimeSessionWindows.withGap(-5);
 * // InvalidSessionGapError: EventTimeSessionWindows.withGap needs a gap > 0 ms, got -5 ...
 * ```
 */
export class InvalidSessionGapError extends SageError {}
