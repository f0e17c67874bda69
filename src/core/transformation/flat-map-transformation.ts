import type { FunctionFactory, FlatMapLike } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/**
 * `flatMap`: 1 → N: the returned iterable first, then the items collected with `this.collect(item)`.
 *
 * @example
 * ```ts
 * new FlatMapTransformation({ name: 'flatMap', parallelism: 1, inputs: [upstream] }, factory);
 * ```
 */
export class FlatMapTransformation extends Transformation {
  readonly kind = 'flatMap' as const;

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<FlatMapLike>,
  ) {
    super(init);
  }

  override get fusible(): boolean {
    return true;
  }
}
