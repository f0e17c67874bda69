import type { Observable } from 'rxjs';
import type { OverflowPolicy } from '../../kernel/runtime/source/overflow-policy.js';
import { Transformation, type TransformationInit } from './transformation.js';

/**
 * A push source over any RxJS Observable (`fromObservable`), read through a bounded buffer.
 *
 * @example
 * ```ts
 * new ObservableTransformation({ name: 'ticks', parallelism: 1 }, interval(10), 10_000, 'error');
 * ```
 */
export class ObservableTransformation extends Transformation {
  readonly kind = 'observable' as const;

  constructor(
    init: TransformationInit,
    readonly observable: Observable<unknown>,
    readonly bufferSize: number,
    readonly overflow: OverflowPolicy,
  ) {
    super(init);
  }

  override get isSource(): boolean {
    return true;
  }
}
