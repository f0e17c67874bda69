import { SageError } from './sage-error.js';

/**
 * Timers used where there is no key: event- and processing-time timers are keyed state, so they need a
 * `KeyedProcessFunction` on a hash-keyed stream (`keyBy(...)` first). Thrown at the call: by
 * `stream.process(KeyedProcessFunctionClass)` on a stream that is not hash-keyed, and by the timer service of
 * an unkeyed `ProcessFunction`.
 *
 * @example
 * ```ts
 * env.fromBatch([1]).process(Alert); // UnkeyedTimerError: process(Alert): … call keyBy(...) first
 * ```
 */
export class UnkeyedTimerError extends SageError {}
