import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { FlatMapLike } from '../transformation/function-factory.js';
import type { FlatMapTransformation } from '../transformation/flat-map-transformation.js';
import { AsyncStep } from './async-step.js';
import { instantiate } from './bind-context.js';
import { CompiledStep } from './compiled-step.js';

class FlatMapStep extends AsyncStep {
  constructor(
    rt: OperatorRuntime,
    out: Step<unknown>,
    private readonly fn: FlatMapLike,
  ) {
    super(rt, out, fn);
  }

  protected invoke(value: unknown): unknown {
    return this.fn.execute(value);
  }

  override failed(error: unknown): void {
    this.fn.takeCollected?.();
    this.rt.error(error);
  }

  /**
   * Emits the returned items, then the collected ones. An iterable that throws part-way is a record error:
   * the items it gave before the throw have gone on, the rest of the record is dropped.
   */
  override deliver(result: unknown): void {
    if (result !== undefined && result !== null) {
      if (typeof (result as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
        this.fn.takeCollected?.();
        this.rt.error(
          new TypeError(
            `${this.rt.ctx.name}: a flatMap function must return an iterable (or undefined), got ${typeof result}`,
          ),
        );
        return;
      }
      try {
        for (const item of result as Iterable<unknown>) this.emit(item);
      } catch (e) {
        this.fn.takeCollected?.();
        this.rt.error(e);
        return;
      }
    }
    const collected = this.fn.takeCollected?.();
    if (collected !== undefined) {
      for (const item of collected) this.emit(item);
    }
  }
}

/**
 * Lowers `flatMap`: the items of the returned iterable first, then the items passed to `this.collect(item)`.
 *
 * @example
 * ```ts
 * const spec = lowerFlatMap(new FlatMapTransformation(init, factory));
 * ```
 */
export function lowerFlatMap(t: FlatMapTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => {
      const fn = instantiate(t.factory, rt);
      return new CompiledStep('flatMap', rt, fn, new FlatMapStep(rt, out, fn), out);
    },
  };
}
