/**
 * Record counters of one operator instance. The runtime bumps them on the per-record path, so they are
 * plain fields: no Map, no closure.
 *
 * @example
 * ```ts
 * const m = new OperatorMetrics('map');
 * m.in++; m.out++;
 * ```
 */
export class OperatorMetrics {
  /** Records that entered the operator. */
  in = 0;
  /** Records the operator emitted. */
  out = 0;
  /** Records the operator dropped on purpose (filtered out, `undefined` results) or after an error. */
  dropped = 0;
  /** User-code errors caught in this operator. */
  errors = 0;

  constructor(readonly operator: string) {}
}
