import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { ContextAware, FunctionFactory } from '../transformation/function-factory.js';

interface Restorable {
  restoreState?: (state: Readonly<Record<string, unknown>>) => void;
}

/**
 * Builds one instance's function object, injects its context, registers it for snapshots and, when the job
 * starts from a snapshot, restores its fields — as the runtime does for every operator.
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
  const fields = rt.restored?.fields;
  const restorable = fn as Restorable;
  if (fields !== undefined && fields !== null && typeof restorable.restoreState === 'function') {
    restorable.restoreState(fields as Readonly<Record<string, unknown>>);
  }
  return fn;
}
