import type { BucketCounts } from './bucket-counts.js';
import type { InstanceProbe } from './instance-probe.js';
import { RECENT_ERRORS, type RecordError } from './record-error.js';

/**
 * Record counters of one operator instance. The runtime bumps them on the per-record path, so they are
 * plain fields: no Map, no closure. Gauges that need more than a counter (the queue length, the time spent
 * pressed) are read through `probe` when someone asks, off the per-record path.
 *
 * @example
 * ```ts
 * const m = new OperatorMetrics('map', 0, 1);
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
  /** Asynchronous calls of this operator started and not settled yet (holds taken and not released). */
  inFlight = 0;
  /** Message of the last error caught, if any. */
  lastError: string | undefined = undefined;
  /** The latest errors (at most `RECENT_ERRORS`), oldest first. */
  readonly recentErrors: RecordError[] = [];
  /**
   * For the last operator of a sink instance: ages (ms, source to sink) of the latency markers that reached it,
   * when the job sets `latencyTrackingIntervalMs`.
   */
  latency: BucketCounts | undefined = undefined;
  /** The running instance's gauges (queue length, time pressed), once the instance is wired. */
  probe: InstanceProbe | undefined = undefined;

  constructor(
    readonly operator: string,
    /** The instance's parallel index. */
    readonly instance = 0,
    /** The plan vertex the operator is fused into (-1 when unknown). */
    readonly vertex = -1,
  ) {}

  /**
   * Counts an error and keeps its message with its time (off the per-record happy path).
   *
   * @example
   * ```ts
   * metrics.noteError(scheduler.now(), 'boom');
   * ```
   */
  noteError(time: number, message: string): void {
    this.errors++;
    this.lastError = message;
    if (this.recentErrors.length === RECENT_ERRORS) this.recentErrors.shift();
    this.recentErrors.push({ time, message });
  }
}
