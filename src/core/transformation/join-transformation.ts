import type { ContextAware, FunctionFactory } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/** A join function object: `execute(payload, key, tag)` with `tag` = input index (0 or 1). */
export interface JoinLike extends ContextAware {
  execute(payload: unknown, key: unknown, tag: number): unknown;
}

/**
 * `join` of exactly two keyed inputs: records with equal keys meet on one instance.
 *
 * @example
 * ```ts
 * new JoinTransformation({ name: 'usersOrders', parallelism: 2, inputs: [users, orders] }, factory);
 * ```
 */
export class JoinTransformation extends Transformation {
  readonly kind = 'join' as const;

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<JoinLike>,
  ) {
    super(init);
  }
}
