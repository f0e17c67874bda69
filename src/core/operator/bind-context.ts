import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { ContextAware, FunctionFactory } from '../transformation/function-factory.js';

/**
 * Builds one instance's function object, injects its context and registers it with the runtime (which
 * restores its saved state when the job starts from a snapshot, captures it for snapshots and runs its
 * `close()` once when the instance ends).
 *
 * @example
 * ```ts
 * const fn = instantiate(transformation.factory, rt);
 * ```
 */
export function instantiate<F extends ContextAware>(factory: FunctionFactory<F>, rt: OperatorRuntime): F {
  const fn = factory.create();
  fn.ctx = rt.ctx;
  rt.registerFunction(fn);
  return fn;
}
