import { SageError } from './sage-error.js';

/**
 * A record reached an event-time window without a timestamp (a record error, handled by the error policy).
 *
 * @example
 * ```ts
 * env.fromBatch(clicks).keyBy((c) => c.page).window(TumblingEventTimeWindows.of(60_000));
 * // MissingTimestampError: a record reached TumblingEventTimeWindows without a timestamp: call
 * // assignTimestampsAndWatermarks(...) before the window
 * ```
 */
export class MissingTimestampError extends SageError {}
