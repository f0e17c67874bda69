import type { CheckpointStats } from '../runtime/checkpoint/checkpoint-stats.js';
import type { OperatorStats } from '../runtime/metrics/operator-stats.js';
import type { ServiceStats } from '../runtime/service/service-stats.js';
import type { WorkerStatus } from '../backend/threads/threads-runner.js';
import type { LogTaskStatus, LogWorkerStatus } from '../backend/redis/log-job-status.js';

/** The lifecycle states of a job. */
export type JobState =
  'initializing' | 'running' | 'paused' | 'restarting' | 'completed' | 'stopped' | 'failed';

/**
 * A snapshot of one job, as `getJobStatus` and `listJobs` return it (and as the control protocol sends it).
 *
 * @example
 * ```ts
 * const s = jm.getJobStatus(uuid);
 * if (s.status !== 'not_found') console.log(s.name, s.status, s.operators);
 * ```
 */
export interface JobStatus {
  readonly uuid: string;
  readonly name: string;
  readonly status: JobState;
  /** ISO time the job was submitted. */
  readonly startTime: string;
  /** ISO time the job ended, once it has. */
  readonly endTime?: string;
  /** Milliseconds from submit to end (or to now while it runs). */
  readonly runtimeMs: number;
  readonly autostop: boolean;
  /** Message of the failure, for a failed job. */
  readonly error?: string;
  /** Per-operator counts, summed over instances. */
  readonly operators: readonly OperatorStats[];
  /** Records waiting in input queues. */
  readonly queued: number;
  /** Restarts after failures so far (restart strategy). */
  readonly restarts: number;
  /** Checkpoint counters. */
  readonly checkpoints: CheckpointStats;
  /** Per-service counters: calls, errors, timeouts, latency p50/p99. */
  readonly services: readonly ServiceStats[];
  /** The physical plan: vertices with their fused operators and parallelism. */
  readonly plan: readonly PlanSummary[];
  /** The backend running the job: `'in-process'` (the default), `'threads'` or `'redis'`. */
  readonly backend?: string;
  /**
   * The worker threads of a threads job (id, process id, instances, time of the latest report), or the live
   * workers of a Redis job (id, host, process id, the job's tasks they hold, latest heartbeat).
   */
  readonly workers?: readonly (WorkerStatus | LogWorkerStatus)[];
  /** Under the Redis backend: each task's owner, lag and committed records in and out. */
  readonly tasks?: readonly LogTaskStatus[];
}

/** One vertex of the physical plan, for status and `explain()`. */
export interface PlanSummary {
  readonly vertex: number;
  readonly operators: readonly string[];
  readonly parallelism: number;
  readonly inputs: readonly {
    readonly from: number;
    readonly partitioning: string;
    readonly input: number;
  }[];
}

/** What `getJobStatus` answers for a uuid it does not know. */
export interface UnknownJobStatus {
  readonly uuid: string;
  readonly status: 'not_found';
}
