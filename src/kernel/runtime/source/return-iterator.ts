import { errorMessage } from '../../../errors/error-message.js';
import type { OperatorRuntime } from '../operator-runtime.js';

/**
 * Calls a source iterator's optional `return()` when the job stops it early, as a `for … of` loop left early
 * would. The job is ending anyway, so what `return()` throws (or the Promise it returns rejects with) is counted
 * in the operator's errors and logged, never thrown into the teardown.
 *
 * @example
 * ```ts
 * rt.subscription.add(() => {
 *   if (this.iterator !== undefined) returnIterator(rt, this.iterator);
 * });
 * ```
 */
export function returnIterator(
  rt: Pick<OperatorRuntime, 'ctx' | 'metrics'>,
  iterator: Iterator<unknown> | AsyncIterator<unknown>,
): void {
  const failed = (e: unknown): void => {
    rt.metrics.noteError(rt.ctx.scheduler.now(), errorMessage(e));
    rt.ctx.logger.warn("the source iterator's return() failed:", e);
  };
  if (typeof iterator.return !== 'function') return;
  let result: unknown;
  try {
    result = iterator.return();
  } catch (e) {
    failed(e);
    return;
  }
  if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
    (result as PromiseLike<unknown>).then(undefined, failed);
  }
}
