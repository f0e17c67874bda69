import type { ContextAware, FunctionFactory } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/** A coMap function object: one handler per input, `map0` … `map{n-1}`. */
export interface CoMapLike extends ContextAware {
  readonly [handler: `map${number}`]: ((data: unknown) => unknown) | undefined;
}

/**
 * `coMap` over connected streams: a record from input *i* goes to handler *i*.
 *
 * @example
 * ```ts
 * new CoMapTransformation({ name: 'merge', parallelism: 1, inputs: [a, b] }, factory);
 * ```
 */
export class CoMapTransformation extends Transformation {
  readonly kind = 'coMap' as const;

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<CoMapLike>,
  ) {
    super(init);
  }
}
