import type { FunctionFactory, ExecuteLike } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/**
 * `filter`: keeps the records for which the function returns a truthy value (or a Promise of one).
 *
 * @example
 * ```ts
 * new FilterTransformation({ name: 'filter', parallelism: 1, inputs: [upstream] }, factory);
 * ```
 */
export class FilterTransformation extends Transformation {
  readonly kind = 'filter' as const;

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<ExecuteLike>,
  ) {
    super(init);
  }

  override get fusible(): boolean {
    return true;
  }
}
