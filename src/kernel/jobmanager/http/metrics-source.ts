import type { JobState } from '../job-status.js';

/**
 * Numbers of one parallel instance of one operator. Counters only grow while the job runs; gauges
 * (`queueLength`, `backpressureRatio`, `inFlight`) are values now.
 */
export interface InstanceMetrics {
  /** The operator's name (as in the plan). */
  readonly operator: string;
  /** The plan vertex the operator is fused into. */
  readonly vertex: number;
  /** Index of the instance, from 0 to parallelism − 1. */
  readonly instance: number;
  /** True for a source: it counts records out, never in. */
  readonly source: boolean;
  /** Records that entered the operator (0 for a source). */
  readonly in: number;
  /** Records the operator emitted. */
  readonly out: number;
  /** Records dropped on purpose (filtered out, `undefined` results) or after an error. */
  readonly filtered: number;
  /** User-code errors caught in this operator. */
  readonly errors: number;
  /** Records waiting in this instance's input queue. */
  readonly queueLength: number;
  /** Share of the recent time (0 to 1) this instance spent pressed by a full downstream queue. */
  readonly backpressureRatio: number;
  /** Asynchronous calls started and not yet settled. */
  readonly inFlight: number;
  /** Records in per second over the last second and the last minute (0 for a source, and at the first look). */
  readonly inRate1s: number;
  readonly inRate1m: number;
  /** Records out per second over the last second and the last minute (0 at the first look). */
  readonly outRate1s: number;
  readonly outRate1m: number;
  /**
   * For a sink instance: source-to-sink latency measured by latency markers (config
   * `latencyTrackingIntervalMs`; empty without it). Absent for other instances.
   */
  readonly endToEndLatency?: LatencyHistogram;
}

/**
 * A latency histogram as Prometheus keeps one: `counts[i]` observations were at most `bucketsSeconds[i]`
 * (cumulative), `count` observations in all, summing to `sumSeconds`.
 */
export interface LatencyHistogram {
  readonly bucketsSeconds: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sumSeconds: number;
}

/** Numbers of one service of a job. */
export interface ServiceMetrics {
  readonly service: string;
  readonly calls: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Calls waiting for a reply now. */
  readonly pending: number;
  /** Median and 99th percentile call latency in milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** Call durations (call to reply or error). */
  readonly latency: LatencyHistogram;
  /** Requests per batch of a batching service (`buckets` are sizes, counts cumulative). */
  readonly batchSizes: BucketHistogram;
}

/**
 * Counts in buckets as Prometheus keeps a histogram: `counts[i]` values were at most `buckets[i]` (cumulative),
 * `count` values in all, summing to `sum`.
 */
export interface BucketHistogram {
  readonly buckets: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
}

/** The checkpoints a job has completed. */
export interface CheckpointMetrics {
  /** Checkpoints completed. */
  readonly count: number;
  /** Checkpoints that failed or were declined. */
  readonly failed: number;
  /** Duration of the latest completed checkpoint, in milliseconds (0 when none). */
  readonly lastDurationMs: number;
  /** Size of the latest completed checkpoint, in bytes (0 when none). */
  readonly lastSizeBytes: number;
  /** ISO time the latest checkpoint completed, once one has. */
  readonly lastTime?: string;
}

/** One record error a job caught, for the dashboard's error list. */
export interface RecordErrorEntry {
  /** ISO time of the error. */
  readonly time: string;
  readonly operator: string;
  readonly instance: number;
  readonly message: string;
}

/** Everything the REST API's `/metrics` and the dashboard show about one job. */
export interface JobMetrics {
  /** The job's uuid. */
  readonly job: string;
  readonly jobName: string;
  readonly status: JobState;
  readonly uptimeMs: number;
  /** One entry per operator instance, in plan order (vertex, instance, fused operator). */
  readonly instances: readonly InstanceMetrics[];
  readonly services: readonly ServiceMetrics[];
  readonly checkpoints: CheckpointMetrics;
  /** Times the job was restarted from a checkpoint after a failure. */
  readonly restarts: number;
  /** The latest record errors, oldest first (a bounded number). */
  readonly recentErrors: readonly RecordErrorEntry[];
  /** The job's failure message, for a failed job. */
  readonly error?: string;
}

/**
 * Where the HTTP server reads the numbers it exposes: per job, per operator instance and per service. The
 * default implementation, `JobManagerMetricsSource`, reads a `JobManager`; another runtime plugs in its own.
 *
 * @example
 * ```ts
 * const source: MetricsSource = new JobManagerMetricsSource(jobManager);
 * for (const job of source.jobs()) console.log(job.jobName, job.instances.length);
 * ```
 */
export interface MetricsSource {
  /** Every known job, in submit order. */
  jobs(): readonly JobMetrics[];
  /** One job, or `undefined` when the uuid is unknown. */
  job(uuid: string): JobMetrics | undefined;
}
