/**
 * Record counters of one operator instance. The runtime bumps them on the per-record path, so they are
 * plain fields: no Map, no closure.
 *
 * @example
 * ```ts
 * const m = new OperatorMetrics('map', 0);
 * m.in++; m.out++;
 * ```
 */
export class OperatorMetrics {
  /** Records that entered the operator (for a source: none; it counts `out`). */
  in = 0;
  /** Records the operator emitted. */
  out = 0;
  /** Records removed on purpose: a filter said no, a map returned `undefined`. */
  filtered = 0;
  /** Errors caught in user code of this operator (each one under `'skip'` loses its record). */
  errors = 0;
  /** Records lost without an error of their own: dropped by an overflow policy, or left after a failure. */
  dropped = 0;
  /** Message of the last error caught, if any. */
  lastError: string | undefined = undefined;

  constructor(
    readonly operator: string,
    /** The instance's parallel index. */
    readonly instance = 0,
  ) {}
}
