import type { FunctionFactory, ExecuteLike } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/**
 * `map`: 1 → 1: a result of `undefined` is dropped; a Promise or Observable result is awaited or flattened.
 *
 * @example
 * ```ts
 * new MapTransformation({ name: 'map', parallelism: 1, inputs: [upstream] }, factory);
 * ```
 */
export class MapTransformation extends Transformation {
  readonly kind = 'map' as const;

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
