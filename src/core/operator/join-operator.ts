import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { JoinLike, JoinTransformation } from '../transformation/join-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';

class JoinStep extends AsyncStep {
  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: JoinLike,
  ) {
    super(rt, out, fn);
  }

  protected invoke(value: unknown): unknown {
    const rt = this.rt;
    return this.fn.execute(value, rt.key, rt.input);
  }

  override deliver(result: unknown): void {
    if (result === undefined) return;
    if (Array.isArray(result)) {
      for (const item of result as unknown[]) this.emit(item);
      return;
    }
    this.emit(result);
  }
}

/**
 * Lowers `join`: `execute(payload, key, tag)` per record, `tag` being the input index; a returned item is
 * emitted, a returned array emits each item, `undefined` emits nothing.
 *
 * @example
 * ```ts
 * const spec = lowerJoin(new JoinTransformation(init, factory));
 * ```
 */
export function lowerJoin(t: JoinTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => new JoinStep(rt, out, instantiate(t.factory, rt)),
  };
}
