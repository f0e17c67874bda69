import type { FunctionFactory, PollLike } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/** What a bounded source reads from. */
export type BatchInput =
  | { readonly kind: 'iterable'; readonly items: Iterable<unknown> }
  | { readonly kind: 'async-iterable'; readonly items: AsyncIterable<unknown> }
  | { readonly kind: 'function'; readonly factory: FunctionFactory<PollLike> };

/**
 * A bounded source (`fromBatch`, `fromCollection`): an array, an Iterable, an AsyncIterable or a
 * `BatchFunction` polled until it returns `undefined` or a `StopSignal`.
 *
 * @example
 * ```ts
 * new BatchTransformation({ name: 'numbers', parallelism: 1 }, { kind: 'iterable', items: [1, 2, 3] });
 * ```
 */
export class BatchTransformation extends Transformation {
  readonly kind = 'batch' as const;

  constructor(
    init: TransformationInit,
    readonly input: BatchInput,
  ) {
    super(init);
  }

  override get isSource(): boolean {
    return true;
  }
}
