import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { ExecuteLike } from '../transformation/function-factory.js';
import type { MapTransformation } from '../transformation/map-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';
import { CompiledStep } from './compiled-step.js';

class MapStep extends AsyncStep {
  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: ExecuteLike,
  ) {
    super(rt, out, fn);
  }

  protected invoke(value: unknown): unknown {
    return this.fn.execute(value);
  }
}

/**
 * Lowers `map`: one result per record; `undefined` drops the record; a Promise is awaited and an Observable
 * flattened (every value it emits goes on, in order).
 *
 * @example
 * ```ts
 * const spec = lowerMap(new MapTransformation(init, factory));
 * ```
 */
export function lowerMap(t: MapTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => {
      const fn = instantiate(t.factory, rt);
      return new CompiledStep('map', rt, fn, new MapStep(rt, out, fn), out);
    },
  };
}
