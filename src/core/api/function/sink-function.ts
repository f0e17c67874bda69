import { BaseFunction } from './base-function.js';

/**
 * The end of a pipeline: `execute` per record (a returned Promise is awaited before the next record). Define
 * an optional `close()` method to run once per instance at end of stream (never on pause); it may return a
 * Promise, which the instance awaits before it completes.
 *
 * @example
 * ```ts
 * class Collect extends SinkFunction<number> {
 *   readonly seen: number[] = [];
 *   execute(x: number) { this.seen.push(x); }
 *   close() { console.log('saw', this.seen.length); }
 * }
 * ```
 */
export abstract class SinkFunction<T> extends BaseFunction {
  /** Handles one record; a returned Promise is awaited before the next record. */
  abstract execute(data: T): void | PromiseLike<void>;
}
