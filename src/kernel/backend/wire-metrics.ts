import { OperatorMetrics } from '../runtime/metrics/operator-metrics.js';
import type { RecordError } from '../runtime/metrics/record-error.js';

/** One operator instance's counters as plain data, to cross a thread boundary. */
export interface WireMetrics {
  readonly operator: string;
  readonly instance: number;
  readonly vertex: number;
  readonly in: number;
  readonly out: number;
  readonly filtered: number;
  readonly errors: number;
  readonly dropped: number;
  readonly inFlight: number;
  readonly lastError: string | undefined;
  readonly recentErrors: readonly RecordError[];
  readonly queued: number;
  readonly pressedMs: number;
  readonly now: number;
}

/**
 * The counters of running instances as plain data (what a worker thread reports).
 *
 * @example
 * ```ts
 * port.postMessage({ type: 'report', metrics: toWireMetrics(runner.metrics()) });
 * ```
 */
export function toWireMetrics(metrics: readonly OperatorMetrics[]): WireMetrics[] {
  return metrics.map((m) => ({
    operator: m.operator,
    instance: m.instance,
    vertex: m.vertex,
    in: m.in,
    out: m.out,
    filtered: m.filtered,
    errors: m.errors,
    dropped: m.dropped,
    inFlight: m.inFlight,
    lastError: m.lastError,
    recentErrors: m.recentErrors.slice(),
    queued: m.probe?.queued ?? 0,
    pressedMs: m.probe?.pressedMs() ?? 0,
    now: m.probe?.now() ?? Date.now(),
  }));
}

/**
 * Counters reported by a worker thread, as `OperatorMetrics` the JobManager summarises as usual (their probe
 * answers the gauges as reported).
 *
 * @example
 * ```ts
 * const metrics = fromWireMetrics(report.metrics);
 * ```
 */
export function fromWireMetrics(data: readonly WireMetrics[]): OperatorMetrics[] {
  return data.map((d) => {
    const m = new OperatorMetrics(d.operator, d.instance, d.vertex);
    m.in = d.in;
    m.out = d.out;
    m.filtered = d.filtered;
    m.errors = d.errors;
    m.dropped = d.dropped;
    m.inFlight = d.inFlight;
    m.lastError = d.lastError;
    m.recentErrors.push(...d.recentErrors);
    m.probe = { queued: d.queued, pressedMs: () => d.pressedMs, now: () => d.now };
    return m;
  });
}
