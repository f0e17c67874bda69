import type { Observer } from 'rxjs';
import type { FunctionFactory, SinkLike } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/** Where a sink writes: a sink function (class or plain function) or an RxJS Observer / Subject. */
export type SinkTarget =
  | { readonly kind: 'function'; readonly factory: FunctionFactory<SinkLike> }
  | {
      readonly kind: 'observer';
      readonly observer: Partial<Observer<unknown>>;
      /** `'instances'` (default): complete after the sink's last instance; `'job'`: when the whole job completes. */
      readonly completeWith?: 'instances' | 'job';
    };

/**
 * `sink`: the terminal operator. A function gets `execute` per record and `close()` once per instance at end of
 * stream; an Observer gets `next` per record, `complete()` once after its last instance ended, and `error`
 * when the job fails.
 *
 * @example
 * ```ts
 * new SinkTransformation({ name: 'out', parallelism: 1, inputs: [upstream] }, { kind: 'observer', observer: subject });
 * ```
 */
export class SinkTransformation extends Transformation {
  readonly kind = 'sink' as const;

  constructor(
    init: TransformationInit,
    readonly target: SinkTarget,
  ) {
    super(init);
  }

  override get fusible(): boolean {
    return true;
  }
}
