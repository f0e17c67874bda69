import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { OperatorRuntime } from '../../kernel/runtime/operator-runtime.js';
import type { Step } from '../../kernel/runtime/step.js';
import type { FutureTransformation } from '../transformation/future-transformation.js';

class PassStep implements Step<unknown> {
  constructor(
    private readonly rt: OperatorRuntime,
    private readonly out: Step<unknown>,
  ) {}

  next(value: unknown, key: unknown, timestamp: number | undefined): void {
    const m = this.rt.metrics;
    m.in++;
    m.out++;
    this.out.next(value, key, timestamp);
  }

  complete(): void {
    this.out.complete();
  }
}

/**
 * Lowers a filled future: records fed back by `fillFuture` pass through unchanged, keeping their key and
 * timestamp.
 *
 * @example
 * ```ts
 * const spec = lowerFuture(futureTransformation);
 * ```
 */
export function lowerFuture(t: FutureTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => new PassStep(rt, out),
  };
}
