import type { Observable } from 'rxjs';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { ExecuteLike } from '../transformation/function-factory.js';
import type { FilterTransformation } from '../transformation/filter-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';
import { CompiledStep } from './compiled-step.js';

class FilterStep extends AsyncStep {
  private current: unknown;

  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: ExecuteLike,
  ) {
    super(rt, out, fn);
  }

  protected invoke(value: unknown): unknown {
    this.current = value;
    return this.fn.execute(value);
  }

  override settle(result: PromiseLike<unknown> | Observable<unknown>, value: unknown): void {
    this.current = value;
    super.settle(result, value);
  }

  override deliver(keep: unknown): void {
    if (keep) this.emit(this.current);
    else this.metrics.filtered++;
  }

  protected override finishResult(result: unknown): void {
    if (result !== undefined) this.emit(result);
  }
}

/**
 * Lowers `filter`: keeps a record when the function returns a truthy value or a Promise of one.
 *
 * @example
 * ```ts
 * const spec = lowerFilter(new FilterTransformation(init, factory));
 * ```
 */
export function lowerFilter(t: FilterTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => {
      const fn = instantiate(t.factory, rt);
      return new CompiledStep('filter', rt, fn, new FilterStep(rt, out, fn), out);
    },
  };
}
