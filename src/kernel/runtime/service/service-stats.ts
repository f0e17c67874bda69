import type { BucketSnapshot } from '../metrics/bucket-counts.js';

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
  /** Calls that failed with a ServiceCallError (their last attempt threw or rejected, or was not retried). */
  readonly errors: number;
  /** Calls that timed out (the call's timeout, or the last attempt's `perAttemptTimeoutMs`). */
  readonly timeouts: number;
  /** Replies that came after their caller had timed out or cancelled, and were dropped. */
  readonly late: number;
  /** Calls waiting for a reply now. */
  readonly pending: number;
  /**
   * Time from call to reply (or error), in ms: median and 99th percentile (wall clock), over the first 1,024
   * calls and one call in eight after them.
   */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** Attempts made, first attempts and retries together. */
  readonly attempts: number;
  /** Attempts that were retries (after a failed attempt and its backoff). */
  readonly retries: number;
  /** `processBatch` invocations (0 unless the service batches). */
  readonly batches: number;
  /** Mean number of requests per batch (0 when there was none). */
  readonly meanBatchSize: number;
  /**
   * The same latencies (ms) in Prometheus' default buckets (`bounds` 5 … 10,000 ms, cumulative `counts`), with
   * their number and sum; sampled like `latencyMs` (absent from stats written before it existed).
   */
  readonly latencyBuckets?: BucketSnapshot;
  /** Requests per `processBatch` invocation, in buckets of 1, 2, 4 … 1,024 (cumulative counts). */
  readonly batchSizes?: BucketSnapshot;
  /** Scheduler time the service's queue waited for rate-limit tokens, in ms. */
  readonly throttledMs: number;
}
