import { BaseFunction } from './base-function.js';
import type { SourceResult } from './source-function.js';

/**
 * A bounded source: polled until it returns `undefined` or a `StopSignal`. Returning a Promise makes the runtime
 * await it before the next poll.
 *
 * @example
 * ```ts
 * class Lines extends BatchFunction<string> {
 *   constructor(private readonly lines: string[]) { super(); }
 *   execute() { return this.lines.shift(); }
 * }
 * env.fromBatch(Lines, { args: [['a', 'b']] });
 * ```
 */
export abstract class BatchFunction<T> extends BaseFunction {
  abstract execute(): SourceResult<T>;
}
