import { SageError } from './sage-error.js';

/**
 * `allowedLateness(ms)` was negative, not finite, or given to windows that are not in event time (lateness is
 * measured against the watermark, which processing-time and global windows do not use).
 *
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(1_000)).allowedLateness(500);
 * // AllowedLatenessError: allowedLateness applies to event-time windows only ...
 * ```
 */
export class AllowedLatenessError extends SageError {}
