/**
 * Returned by a source or batch function to say "the stream has ended". Carries an optional reason
 * for the logs.
 *
 * @example
 * ```ts
 * class Countdown extends SourceFunction<number> {
 *   private n = 3;
 *   execute() { return this.n > 0 ? this.n-- : new StopSignal('done counting'); }
 * }
 * ```
 */
export class StopSignal {
  constructor(readonly reason = 'end of stream') {}

  /** True when `value` is a StopSignal. */
  static is(value: unknown): value is StopSignal {
    return value instanceof StopSignal;
  }
}
