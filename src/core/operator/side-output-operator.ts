import type { OperatorSpec } from '../../kernel/runtime/operator-spec.js';
import type { SideOutputTransformation } from '../transformation/side-output-transformation.js';

/**
 * Lowers `getSideOutput(tag)`: the side output's values arrive over the edge of that tag and pass on
 * unchanged, with their key and timestamp.
 *
 * @example
 * ```ts
 * const spec = lowerSideOutput(new SideOutputTransformation(init, 'late'));
 * ```
 */
export function lowerSideOutput(t: SideOutputTransformation): OperatorSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, out) => ({
      next: (value, key, timestamp) => {
        const m = rt.metrics;
        m.in++;
        m.out++;
        out.next(value, key, timestamp);
      },
      complete: () => {
        out.complete();
      },
    }),
  };
}
