import type { CheckpointStats } from '../runtime/checkpoint/checkpoint-stats.js';
import type { JobRunner } from '../runtime/job-runner.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { ServiceRegistry } from '../runtime/service/service-registry.js';
import type { ServiceStats } from '../runtime/service/service-stats.js';
import type { WorkerStatus } from '../backend/threads/threads-runner.js';
import type { ShardStats } from '../backend/threads/threads-protocol.js';
import type { LogTaskStatus, LogWorkerStatus } from '../backend/redis/log-job-status.js';
import type { JobOutcome } from '../runtime/job-outcome.js';
import { summarizeMetrics } from '../runtime/metrics/operator-stats.js';
import type { JobState, JobStatus, PlanSummary } from './job-status.js';

const NO_CHECKPOINTS: CheckpointStats = {
  completed: 0,
  failed: 0,
  lastId: 0,
  lastDurationMs: 0,
  lastSizeBytes: 0,
};

/** The service and checkpoint counters of a job that runs in another thread, as it last reported them. */
export interface ReportedCounters {
  services(): readonly ServiceStats[];
  checkpoints(): CheckpointStats;
}

/**
 * What the JobManager keeps about one job: identity, plan, dispatcher, times and outcome.
 *
 * @example
 * ```ts
 * const info = jm.startJob(env);
 * info.whenDone().then((outcome) => console.log(outcome.status));
 * ```
 */
export class JobInfo {
  readonly startTime = new Date();
  endTime: Date | undefined;
  /** The job's services (set by the JobManager; callable while the job runs). */
  services: ServiceRegistry | undefined;
  /** The job's completed checkpoints and their counters (set by the JobManager). */
  checkpoints: CheckpointStore | undefined;
  /** The backend beyond this thread that runs the job, and its workers (set by the JobManager). */
  placement:
    | {
        readonly kind: string;
        workers(): readonly (WorkerStatus | LogWorkerStatus)[];
        /** The tasks of a job under the Redis backend: owner, lag, committed record counts. */
        tasks?(): readonly LogTaskStatus[] | undefined;
        /** When the workers had started up and the sources began (`performance.now()` ms, process CPU µs). */
        startedRunning(): { readonly wallMs: number; readonly cpuUs: number } | undefined;
        /** Each worker's time and channel counters, from its latest report. */
        workerStats?(): readonly (ShardStats | undefined)[];
      }
    | undefined;
  /**
   * The backend a job running in another thread was submitted to (set by the server for its isolated jobs), for
   * the status's `backend` when no {@link placement} is known here; `'in-process'` when unset.
   */
  backendName: string | undefined;
  /** Counters a job running in another thread reports itself (set by `JobManager.adoptJob`). */
  reported: ReportedCounters | undefined;
  /** Set when the job has ended and its services have been stopped and cleaned up. */
  private finished: Promise<JobOutcome> | undefined;
  private settle: ((outcome: JobOutcome) => void) | undefined;
  private outcome: JobOutcome | undefined;
  /** The physical plan as data (the graph itself is not kept, so a finished job holds no source data). */
  private readonly plan: PlanSummary[];

  constructor(
    readonly uuid: string,
    readonly name: string,
    /** The compiled plan (or anything that can summarise one: a job running in another thread). */
    graph: { summary(): PlanSummary[] },
    /** What runs the job (the in-process Dispatcher by default). */
    readonly dispatcher: JobRunner,
    readonly autostop: boolean,
  ) {
    this.plan = graph.summary();
  }

  /** The job's state now. */
  get status(): JobState {
    const state = this.dispatcher.state;
    return state === 'created' ? 'initializing' : state;
  }

  /** Resolves with the outcome once the job ended and its services were stopped (never rejects). */
  whenDone(): Promise<JobOutcome> {
    if (this.outcome !== undefined) return Promise.resolve(this.outcome);
    this.finished ??= new Promise<JobOutcome>((resolve) => {
      this.settle = resolve;
    });
    return this.finished;
  }

  /** Resolves with the uuid once the job ended; rejects with the job's error if it failed. */
  result(): Promise<string> {
    return this.whenDone().then((outcome) => {
      if (outcome.status === 'failed') throw outcome.error;
      return this.uuid;
    });
  }

  /** Called by the JobManager when the job and its services are done. */
  markFinished(outcome: JobOutcome): void {
    this.outcome = outcome;
    this.settle?.(outcome);
  }

  /** True once the job has ended (completed, stopped or failed). */
  get ended(): boolean {
    const s = this.status;
    return s === 'completed' || s === 'stopped' || s === 'failed';
  }

  private taskList(): { tasks?: readonly LogTaskStatus[] } {
    const tasks = this.placement?.tasks?.();
    return tasks !== undefined ? { tasks } : {};
  }

  /** A JSON-compatible snapshot of the job. */
  toStatus(): JobStatus {
    const end = this.endTime;
    const error = this.dispatcher.error;
    return {
      uuid: this.uuid,
      name: this.name,
      status: this.status,
      startTime: this.startTime.toISOString(),
      ...(end !== undefined ? { endTime: end.toISOString() } : {}),
      runtimeMs: (end ?? new Date()).getTime() - this.startTime.getTime(),
      autostop: this.autostop,
      ...(error !== undefined ? { error: error.message } : {}),
      operators: summarizeMetrics(this.dispatcher.metrics()),
      queued: this.dispatcher.queued(),
      restarts: (this.dispatcher as { restarts?: number }).restarts ?? 0,
      checkpoints: this.checkpoints?.stats() ?? this.reported?.checkpoints() ?? NO_CHECKPOINTS,
      services: this.services?.stats() ?? this.reported?.services() ?? [],
      plan: this.plan,
      ...(this.placement !== undefined
        ? { backend: this.placement.kind, workers: this.placement.workers(), ...this.taskList() }
        : { backend: this.backendName ?? 'in-process' }),
    };
  }
}
