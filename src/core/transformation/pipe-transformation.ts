import type { OperatorFunction } from 'rxjs';
import { Transformation, type TransformationInit } from './transformation.js';

/**
 * `pipe`: a chain of RxJS operators as one step, run once per parallel instance on an unkeyed stream and once
 * per key on a hash-keyed one. `keyIdleTimeoutMs` completes a key's chain after that long without records.
 *
 * @example
 * ```ts
 * new PipeTransformation({ name: 'pipe', parallelism: 1, inputs: [upstream] }, [bufferCount(2)], undefined);
 * ```
 */
export class PipeTransformation extends Transformation {
  readonly kind = 'pipe' as const;

  constructor(
    init: TransformationInit,
    /** The operators, applied in order. */
    readonly operators: readonly OperatorFunction<unknown, unknown>[],
    /** Completes a key's chain after this many ms of the job's scheduler without a record for that key. */
    readonly keyIdleTimeoutMs: number | undefined,
  ) {
    super(init);
  }

  /** Fused like map: its chains live in the instance it runs in, so no hop of its own is needed. */
  override get fusible(): boolean {
    return true;
  }
}
