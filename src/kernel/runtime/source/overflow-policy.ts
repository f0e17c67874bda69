/**
 * What a push source does when its bounded buffer is full because downstream is busy or the job is paused:
 * `'error'` fails the job with a BufferOverflowError (the default: nothing is lost silently),
 * `'drop-oldest'` drops the oldest buffered record, `'drop-newest'` drops the arriving one. Dropped records
 * are counted in the source's `dropped` metric.
 *
 * @example
 * ```ts
 * env.fromObservable(ticks$, { bufferSize: 1000, overflow: 'drop-oldest' });
 * ```
 */
export type OverflowPolicy = 'error' | 'drop-oldest' | 'drop-newest';

/** Default size of a push source's buffer. */
export const DEFAULT_PUSH_BUFFER = 10_000;
