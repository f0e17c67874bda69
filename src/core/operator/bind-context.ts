import type { TaskContext } from '../../kernel/runtime/context/task-context.js';
import type { ContextAware, FunctionFactory } from '../transformation/function-factory.js';

/**
 * Builds one instance's function object and injects its context, as the runtime does for every operator.
 *
 * @example
 * ```ts
 * const fn = instantiate(transformation.factory, rt.ctx);
 * ```
 */
export function instantiate<F extends ContextAware>(factory: FunctionFactory<F>, ctx: TaskContext): F {
  const fn = factory.create();
  fn.ctx = ctx;
  return fn;
}
