/**
 * Counters of one service in a job, as the job status shows them (`status.services`).
 *
 * @example
 * ```ts
 * const s = jm.getJobStatus(uuid);
 * if (s.status !== 'not_found') for (const svc of s.services) console.log(svc.service, svc.calls, svc.latencyMs.p99);
 * ```
 */
export interface ServiceStats {
  readonly service: string;
  /** Requests handled at once. */
  readonly concurrency: number;
  /** Calls received. */
  readonly calls: number;
  /** Calls answered with a value. */
  readonly replies: number;
  /** Calls whose method threw or rejected (answered with a ServiceCallError). */
  readonly errors: number;
  /** Calls that timed out. */
  readonly timeouts: number;
  /** Replies that came after their caller had timed out or cancelled, and were dropped. */
  readonly late: number;
  /** Calls waiting for a reply now. */
  readonly pending: number;
  /** Time from call to reply (or error), in ms: median and 99th percentile (wall clock). */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}
