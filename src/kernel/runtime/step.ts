/**
 * The per-record protocol inside one operator instance (the runtime's equivalent of a @most/core `Sink`).
 *
 * A fused chain is a linked list of steps: each step handles a record and calls `next` on the following one.
 * Records carry no envelope: the key and the event-time timestamp travel with the call as arguments, so every
 * step knows the key and the timestamp of the record it handles, also when it emits later (after an `await`,
 * or for each value of an Observable), and an output inherits its input's timestamp.
 *
 * @example
 * ```ts
 * const double: Step<number> = {
 *   next: (x, key, timestamp) => out.next(x * 2, key, timestamp),
 *   complete: () => out.complete(),
 * };
 * ```
 */
export interface Step<T> {
  /**
   * Handles one record; `key` is its key (`undefined` on an unkeyed stream), `timestamp` its event time in ms
   * (`undefined` when it has none).
   */
  next(value: T, key: unknown, timestamp: number | undefined): void;
  /** End of input for this instance: flush (`finish()`), close, then complete the following step. */
  complete(): void;
}

/**
 * The call a step is running: the key and timestamp of its current record and the input it came from. Each operator of an
 * instance has its own, set when the operator starts a record and left alone until it starts the next one,
 * so `ctx.getKey()` and `ctx.state` refer to the running call even after an `await`.
 */
export interface CallContext {
  /** Key of the record the operator is handling (`undefined` when the stream is not keyed). */
  key: unknown;
  /** Input index of that record (position in the connect chain; 0 for a single input). */
  input: number;
  /** Event time of that record in ms (`undefined` when it has none). */
  timestamp: number | undefined;
}
