import { Transformation, type TransformationInit } from './transformation.js';

/**
 * A placeholder stream for a feedback edge (`fromFuture`): it is filled later by `stream.fillFuture(future)`,
 * whose records then flow back into it. The compiler marks that edge as feedback when the filling stream
 * depends on the future (a loop); otherwise it is an ordinary input. Records keep their key and their hash
 * partitioning around the loop.
 *
 * @example
 * ```ts
 * const loop = new FutureTransformation({ name: 'loop', parallelism: 1 });
 * loop.fill(lastStep);
 * ```
 */
export class FutureTransformation extends Transformation {
  readonly kind = 'future' as const;

  /** True once `fill` was called. */
  get filled(): boolean {
    return this.inputs.length > 0;
  }

  constructor(init: TransformationInit) {
    super({ ...init, inputs: [] });
  }

  /** Connects the stream that feeds the loop back into this future. */
  fill(source: Transformation): void {
    this.inputs.push(source);
  }
}
