/**
 * Describes how to build the user's function object for one operator instance. Every parallel instance calls
 * `create()` and gets its own fresh object (a plain function is wrapped in one).
 *
 * @example
 * ```ts
 * const factory: FunctionFactory<MapLike> = { label: 'Double', create: () => new Double() };
 * ```
 */
export interface FunctionFactory<F extends object> {
  /** Class or function name, used for default operator names and messages. */
  readonly label: string;
  create(): F;
}

/** Anything the runtime injects a context into. */
export interface ContextAware {
  ctx?: unknown;
}

/** A function object with a one-argument `execute` (map, filter, keyBy, sink and flatMap functions). */
export interface ExecuteLike extends ContextAware {
  execute(data: unknown): unknown;
}

/** A sink function object: `execute` per record, optional `close()` once at end of stream. */
export interface SinkLike extends ExecuteLike {
  close?(): unknown;
}

/** A flatMap function object: `execute` may return items and may also collect items. */
export interface FlatMapLike extends ExecuteLike {
  /** Returns and forgets the items collected through `collect()` since the last call. */
  takeCollected?(): readonly unknown[] | undefined;
}

/** A polled source or batch function object. */
export interface PollLike extends ContextAware {
  execute(): unknown;
}
