import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { KeyHolder, Step } from '../../kernel/runtime/step.js';
import type { ExecuteLike } from '../transformation/function-factory.js';
import type { KeyByTransformation } from '../transformation/key-by-transformation.js';
import { instantiate } from './bind-context.js';

class KeyByStep implements Step<unknown> {
  private readonly metrics: OperatorMetrics;
  private readonly holder: KeyHolder;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly out: Step<unknown>,
    private readonly fn: ExecuteLike,
  ) {
    this.metrics = rt.metrics;
    this.holder = rt.holder;
  }

  next(value: unknown): void {
    this.metrics.in++;
    let key: unknown;
    try {
      key = this.fn.execute(value);
    } catch (e) {
      this.rt.error(e);
      return;
    }
    this.holder.key = key;
    this.metrics.out++;
    this.out.next(value);
  }

  complete(): void {
    this.out.complete();
  }
}

/**
 * Lowers `keyBy`: computes the record's key (synchronously) and sets it for the steps after it and for the
 * router of the next hop, which partitions by it. The key stays set (async steps after it read it when their
 * call settles); steps that emit several records set their record's key again before each one.
 *
 * @example
 * ```ts
 * const spec = lowerKeyBy(new KeyByTransformation(init, factory, 'hash'));
 * ```
 */
export function lowerKeyBy(t: KeyByTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    create: (rt, out) => new KeyByStep(rt, out, instantiate(t.factory, rt)),
  };
}
