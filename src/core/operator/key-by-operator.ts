import { normalizeKey } from '../../kernel/runtime/key/key-encoding.js';
import type { JobGate } from '../../kernel/runtime/job-gate.js';
import type { OperatorMetrics } from '../../kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { ExecuteLike } from '../transformation/function-factory.js';
import type { KeyByTransformation } from '../transformation/key-by-transformation.js';
import { instantiate } from './bind-context.js';
import { closeThenComplete } from './close-then-complete.js';
import { CompiledStep } from './compiled-step.js';

class KeyByStep implements Step<unknown> {
  private readonly metrics: OperatorMetrics;
  private readonly gate: JobGate;

  constructor(
    private readonly rt: OperatorRuntime,
    private readonly out: Step<unknown>,
    private readonly fn: ExecuteLike,
  ) {
    this.metrics = rt.metrics;
    this.gate = rt.gate;
  }

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    this.metrics.in++;
    if (this.gate.stopped) return;
    this.rt.key = key;
    this.rt.timestamp = timestamp;
    let next: unknown;
    try {
      next = this.fn.execute(value);
      if (typeof next === 'object' ? next !== null : typeof next === 'symbol' || typeof next === 'function') {
        normalizeKey(next);
      }
    } catch (e) {
      this.rt.error(e);
      return;
    }
    this.metrics.out++;
    this.out.next(value, next, timestamp);
  }

  complete(): void {
    closeThenComplete(this.rt, this.out);
  }
}

/**
 * Lowers `keyBy`: computes the record's key (synchronously) and passes it along with the record, to the steps
 * after it and to the router of the next hop, which partitions by it. A key that cannot be encoded
 * (KeyEncodingError) is an error of that record.
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
    keyed: t.keyedInput,
    create: (rt, out) => {
      const fn = instantiate(t.factory, rt);
      return new CompiledStep('keyBy', rt, fn, new KeyByStep(rt, out, fn), out);
    },
  };
}
