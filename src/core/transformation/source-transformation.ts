import type { FunctionFactory, PollLike } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/**
 * An unbounded source polled by the runtime (`fromSource`): `undefined` means "nothing now, poll again after
 * `delay` ms"; a `StopSignal` ends it.
 *
 * @example
 * ```ts
 * new SourceTransformation({ name: 'queue', parallelism: 1 }, factory, 10);
 * ```
 */
export class SourceTransformation extends Transformation {
  readonly kind = 'source' as const;

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<PollLike>,
    readonly delay: number,
  ) {
    super(init);
  }

  override get isSource(): boolean {
    return true;
  }
}
