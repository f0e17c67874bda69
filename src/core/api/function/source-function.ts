import type { StopSignal } from '../../../kernel/runtime/stop-signal.js';
import { BaseFunction } from './base-function.js';

/** What a polled source returns: a record, `undefined` (nothing now), a StopSignal (end), or a Promise of one. */
export type SourceResult<T> = T | undefined | StopSignal | PromiseLike<T | undefined | StopSignal>;

/**
 * An unbounded source, polled by the runtime whenever downstream has room: return a record, `undefined` for
 * "nothing now" (polled again after the `delay` option), or a `StopSignal` to end the stream.
 *
 * @example
 * ```ts
 * class Ticks extends SourceFunction<number> {
 *   private n = 0;
 *   execute() { return this.n < 100 ? this.n++ : new StopSignal(); }
 * }
 * env.fromSource(Ticks, { delay: 5 });
 * ```
 */
export abstract class SourceFunction<T> extends BaseFunction {
  abstract execute(): SourceResult<T>;
}
