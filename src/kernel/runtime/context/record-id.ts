/**
 * The `ctx.config` entry through which a backend that can name records stably (the Redis backend) gives user
 * functions `ctx.recordId`: a function returning the id of the record being processed. Absent in-process and
 * under the threads backend, where `ctx.recordId` is `undefined`.
 *
 * @example
 * ```ts
 * const config = { [RECORD_ID]: (): string | undefined => `task/stream@1-0/${String(index)}` };
 * ```
 */
export const RECORD_ID = 'sage.recordId';

/**
 * Returns the id of the record being processed, computed when asked (nothing is built per record).
 *
 * @example
 * ```ts
 * const source: RecordIdSource = () => undefined;
 * ```
 */
export type RecordIdSource = () => string | undefined;
