import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { CoMapLike, CoMapTransformation } from '../transformation/co-map-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';

type Handler = (data: unknown) => unknown;

class CoMapStep extends AsyncStep {
  private readonly handlers: Handler[];

  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: CoMapLike,
    inputs: number,
  ) {
    super(rt, out, fn);
    this.handlers = [];
    for (let i = 0; i < inputs; i++) this.handlers.push(fn[`map${i}`] as Handler);
  }

  protected invoke(value: unknown): unknown {
    return (this.handlers[this.rt.input] as Handler).call(this.fn, value);
  }
}

/**
 * Lowers `coMap`: a record from input *i* goes to `map{i}`; results follow the map contract (`undefined`
 * drops, Promise awaited, Observable flattened). The handlers are looked up once per instance.
 *
 * @example
 * ```ts
 * const spec = lowerCoMap(new CoMapTransformation(init, factory));
 * ```
 */
export function lowerCoMap(t: CoMapTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => new CoMapStep(rt, out, instantiate(t.factory, rt), t.inputs.length),
  };
}
