import { SageError } from './sage-error.js';

/**
 * A window on a stream that is not hash-keyed: `window(...)` and `countWindow(...)` keep their windows per key,
 * so they need `keyBy(...)` first; a window over the whole stream is `windowAll(...)`. Thrown at the call.
 *
 * @example
 * ```ts
 * env.fromBatch([1, 2]).window(TumblingEventTimeWindows.of(1_000)); // UnkeyedWindowError: … keyBy(...) first
 * ```
 */
export class UnkeyedWindowError extends SageError {}
