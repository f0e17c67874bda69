import { BaseFunction } from './base-function.js';

/**
 * The end of a pipeline: `execute` per record (a returned Promise is awaited before the next record), and
 * `close()` once per instance at end of stream (never on pause).
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
  abstract execute(data: T): void | PromiseLike<void>;

  /** Called once per instance at end of stream; may return a Promise. */
  close?(): void | PromiseLike<void>;
}
