/**
 * The per-record protocol inside one operator instance (the runtime's equivalent of a @most/core `Sink`).
 *
 * A fused chain is a linked list of steps: each step handles a record and calls `next` on the following one.
 * Records carry no envelope: the key and the input index of the record being processed live on the
 * instance's {@link KeyHolder}.
 *
 * @example
 * ```ts
 * const double: Step<number> = { next: (x) => out.next(x * 2), complete: () => out.complete() };
 * ```
 */
export interface Step<T> {
  /** Handles one record. */
  next(value: T): void;
  /** End of stream for this instance: flush, close, then complete the following step. */
  complete(): void;
}

/** Where an instance keeps the key and the input index of the record it is processing. */
export interface KeyHolder {
  /** Key of the current record (`undefined` when the stream is not keyed). */
  key: unknown;
  /** Input index of the current record (position in the connect chain; 0 for a single input). */
  input: number;
}
