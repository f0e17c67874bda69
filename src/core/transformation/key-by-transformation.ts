import type { Partitioning } from '../../kernel/runtime/physical-plan.js';
import type { ExecuteLike, FunctionFactory } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/** How a keyed stream is routed at the next hop. */
export type KeyStrategy = 'hash' | 'broadcast' | 'round-robin';

/**
 * `keyBy`: tags each record with a key; routing by that key happens at the next hop.
 *
 * @example
 * ```ts
 * new KeyByTransformation({ name: 'byUser', parallelism: 1, inputs: [upstream] }, factory, 'hash');
 * ```
 */
export class KeyByTransformation extends Transformation {
  readonly kind = 'keyBy' as const;

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<ExecuteLike>,
    readonly strategy: KeyStrategy,
  ) {
    super(init);
  }

  override get partitioning(): Partitioning {
    return this.strategy;
  }

  protected override partitioningWithin(): Partitioning {
    return this.strategy;
  }

  override get fusible(): boolean {
    return true;
  }
}
