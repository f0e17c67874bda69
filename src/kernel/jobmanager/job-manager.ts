import { toError } from '../../errors/to-error.js';
import type { Logger } from 'loglevel';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { v4 as uuidv4 } from 'uuid';
import { UsageError } from '../../errors/usage-error.js';
import { JobNotFoundError } from '../../errors/job-not-found-error.js';
import { JobStateError } from '../../errors/job-state-error.js';
import { SnapshotMismatchError } from '../../errors/snapshot-mismatch-error.js';
import { snapshotShapeProblem } from './protocol/snapshot-shape.js';
import { checkErrorPolicy } from '../runtime/error-policy.js';
import { Dispatcher } from '../runtime/dispatcher.js';
import type { ExecutionBackend, JobRunner } from '../runtime/job-runner.js';
import type { JobSnapshot } from '../runtime/state/job-snapshot.js';
import { ServiceRegistry } from '../runtime/service/service-registry.js';
import { join } from 'node:path';
import { checkCheckpointing } from '../runtime/checkpoint/check-checkpointing.js';
import { RestartingRunner, type RunFactory } from '../runtime/restart/restarting-runner.js';
import type { DispatcherOptions } from '../runtime/dispatcher.js';
import {
  checkRestartStrategy,
  DEFAULT_CHECKPOINTED_RESTART,
  RestartPolicy,
} from '../runtime/restart/restart-strategy.js';
import { BackendUnavailableError } from '../../errors/backend-unavailable-error.js';
import { backendKind, type BackendSpec } from '../backend/backend-spec.js';
import { checkBackendSpec } from '../backend/check-backend-spec.js';
import { ThreadsRunner, type WorkerStatus } from '../backend/threads/threads-runner.js';
import type { ShardStats } from '../backend/threads/threads-protocol.js';
import { connectRedisLog } from '../backend/redis/connect-redis-log.js';
import type { LogJobRunner } from '../backend/redis/log-job-runner.js';
import type { LogTaskStatus, LogWorkerStatus } from '../backend/redis/log-job-status.js';
import type { PartitionedLog } from '../backend/redis/partitioned-log.js';
import { logJobBackend } from './log-job-backend.js';
import { CheckpointStore } from './checkpoint-store.js';
import { ExecutionGraph, type CompileOptions } from './compiler/execution-graph.js';
import type { JobDescription } from './job-description.js';
import { JobInfo, type ReportedCounters } from './job-info.js';
import { JobLoggers } from './job-logger.js';
import type { JobStatus, PlanSummary, UnknownJobStatus } from './job-status.js';
import { pageRange, summarizeJob, type JobSummaryPage, type PageOptions } from './job-summary.js';

/** Options of `submitJob`. */
export interface SubmitOptions {
  /** Resolve only after the job completed (and reject if it failed). */
  readonly autostop?: boolean;
  /**
   * Start every operator from this snapshot or checkpoint (operators matched by name), at any parallelism up to
   * `maxParallelism`: keyed state moves with its key groups.
   */
  readonly restore?: JobSnapshot;
  /** Restore even when the snapshot holds state of operators the job does not have (that state is dropped). */
  readonly allowNonRestoredState?: boolean;
  /**
   * What runs the job (default `'in-process'`). Another backend needs a job built from a module
   * (`LocalEnvironment.fromModule`); an inline job asking for one fails with `BackendUnavailableError`.
   */
  readonly backend?: BackendSpec;
}

/** Options of a JobManager. */
export interface JobManagerOptions {
  /** How many ended jobs stay queryable before the oldest are forgotten (default 1000). */
  readonly maxFinishedJobs?: number;
  /**
   * How many of the latest ended jobs keep their final state (function objects and keyed state), so that a
   * savepoint of a finished job can still answer it (default 10). Older ended jobs keep their status and
   * counters only: their state would otherwise stay in memory as long as the job stays queryable.
   */
  readonly maxFinishedJobStates?: number;
  /** What runs each job (default: the in-process RxJS Dispatcher). */
  readonly backend?: ExecutionBackend;
  /**
   * Connects to the log of `{ kind: 'redis', url }` jobs (default: a shared `RedisLog` per URL, imported from
   * `sage-kernel/redis` when first needed). Specs pass a `MemoryLog`.
   */
  readonly connectLog?: (url: string) => Promise<PartitionedLog>;
}

/** The in-process RxJS backend: one Dispatcher per job. */
const inProcess: ExecutionBackend = (plan, options) => new Dispatcher(plan, options);

/** What `healthCheck()` reports. */
export interface HealthReport {
  readonly status: 'healthy';
  readonly jobs: number;
  readonly running: number;
  readonly uptimeMs: number;
}

/**
 * Receives jobs, compiles them into execution graphs, runs each with its own Dispatcher and keeps them
 * queryable until deleted. A local environment uses the process-wide `JobManager.default`, in process; it
 * opens no port.
 *
 * @example
 * ```ts
 * const jm = env.jobManager;
 * const uuid = await env.submit();
 * jm.pauseJob(uuid);
 * jm.continueJob(uuid);
 * console.log(jm.getJobStatus(uuid).status);
 * ```
 */
export class JobManager {
  private static shared: JobManager | undefined;

  private readonly jobs = new Map<string, JobInfo>();
  /** The ended jobs' uuids, oldest end first: the ones beyond `maxFinishedJobs` are forgotten. */
  private readonly endedJobs = new Set<string>();
  /** The finished jobs that still hold their final state, oldest first (at most `maxFinishedJobStates`). */
  private readonly jobsWithState = new Set<JobInfo>();
  private readonly started = Date.now();

  private readonly maxFinishedJobs: number;
  private readonly maxFinishedJobStates: number;
  private readonly backend: ExecutionBackend;
  private readonly connectLog: (url: string) => Promise<PartitionedLog>;

  /**
   * @param options a number is `maxFinishedJobs`; see {@link JobManagerOptions}
   */
  constructor(options: number | JobManagerOptions = {}) {
    const o = typeof options === 'number' ? { maxFinishedJobs: options } : options;
    this.maxFinishedJobs = o.maxFinishedJobs ?? 1000;
    const states = o.maxFinishedJobStates ?? 10;
    if (!Number.isInteger(states) || states < 0) {
      throw new UsageError(
        `maxFinishedJobStates must be a whole number of jobs (0 or more), got ${String(states)}`,
      );
    }
    this.maxFinishedJobStates = states;
    this.backend = o.backend ?? inProcess;
    this.connectLog = o.connectLog ?? connectRedisLog;
  }

  /** The process-wide JobManager that local environments submit to by default. */
  static get default(): JobManager {
    return (JobManager.shared ??= new JobManager());
  }

  /**
   * Compiles and starts a job. Wiring and the sources' subscriptions happen synchronously inside this call.
   * Resolves with the job's uuid; with `autostop` only after the job ended and its services were stopped,
   * rejecting with the job's error if it failed.
   */
  submitJob(job: JobDescription, options: SubmitOptions = {}): Promise<string> {
    let info: JobInfo;
    try {
      info = this.startJob(job, options);
    } catch (e) {
      return Promise.reject(toError(e));
    }
    return options.autostop === true ? info.result() : Promise.resolve(info.uuid);
  }

  /** Compiles and starts a job synchronously and returns its record. */
  startJob(job: JobDescription, options: SubmitOptions = {}): JobInfo {
    const config = job.config;
    const name = job.name;
    checkRestoreShape(options.restore);
    const errorPolicy = checkErrorPolicy(config.errorPolicy, `environment ${name}`) ?? 'skip';
    const placement = new Placement();
    const backend = this.backendFor(job, checkBackendSpec(options.backend), placement);
    const graph = ExecutionGraph.compile(job.pipeline, compileOptions(config));
    const uuid = uuidv4();
    const highWaterMark = config.highWaterMark;
    const scheduler = config.scheduler ?? asyncScheduler;
    // Closures below capture only these plain values, never the job description: a finished job must not
    // keep the environment's pipeline (and the data its sources read) alive.
    const loggers = new JobLoggers({
      envName: name,
      jobId: uuid,
      level: config.logLevel,
      sink: config.logSink,
      now: () => scheduler.now(),
    });
    const loggerFor = loggerFactory(loggers);
    const services = new ServiceRegistry(job.services ?? [], {
      jobId: uuid,
      envName: name,
      scheduler,
      loggerFor,
      parent: job.parentServices,
      hookTimeoutMs: config.serviceHookTimeoutMs,
    });
    const checkpointing = checkCheckpointing(config.checkpointing);
    const strategy =
      config.restartStrategy !== undefined
        ? checkRestartStrategy(config.restartStrategy)
        : checkpointing !== undefined
          ? DEFAULT_CHECKPOINTED_RESTART
          : ({ kind: 'none' } as const);
    const store = new CheckpointStore(
      checkpointing?.storage === undefined ? undefined : join(checkpointing.storage, uuid),
      checkpointing?.retained ?? 1,
    );
    const base = {
      jobId: uuid,
      envName: name,
      config: { ...config },
      scheduler,
      errorPolicy,
      ...(options.allowNonRestoredState === true ? { allowNonRestoredState: true } : {}),
      ...(typeof config.maxParallelism === 'number' ? { maxParallelism: config.maxParallelism } : {}),
      ...(typeof highWaterMark === 'number' && highWaterMark > 0 ? { highWaterMark } : {}),
      ...(checkpointing !== undefined ? { checkpointIntervalMs: checkpointing.intervalMs } : {}),
      loggerFor,
      services,
      onCheckpoint: storeCheckpoint(store, scheduler),
    };
    const dispatcher = new RestartingRunner(
      runFactory(backend, graph, base, store),
      new RestartPolicy(strategy),
      scheduler,
      latestOf(store),
      options.restore,
    );
    const info = new JobInfo(uuid, name, graph, dispatcher, options.autostop === true);
    if (placement.kind !== undefined) info.placement = placement as Placement & { kind: string };
    info.checkpoints = store;
    info.services = services;
    services.start();
    this.jobs.set(uuid, info);
    this.watchEnd(info, services, loggers);
    loggers.for().info(`submitted (${String(graph.vertices.length)} vertices)`);
    try {
      job.registered?.(uuid);
      dispatcher.start();
    } catch (e) {
      void services.stop();
      throw e;
    }
    this.forgetOldJobs();
    return info;
  }

  /**
   * Registers a job that already runs elsewhere (the server's isolated job threads): `runner` steers it,
   * `plan` is its physical plan as data, `reported` gives its service and checkpoint counters. From then on it
   * is a job like the others: status, pause, continue, stop, savepoint and delete act through the runner.
   *
   * @example
   * ```ts
   * const info = jm.adoptJob('etl', runner, plan, false, runner);
   * ```
   *
   * @param uuid the job's id when it has one already (a job in a Redis log), default a new one
   */
  adoptJob(
    name: string,
    runner: JobRunner,
    plan: readonly PlanSummary[],
    autostop: boolean,
    reported?: ReportedCounters,
    uuid?: string,
  ): JobInfo {
    const info = new JobInfo(uuid ?? uuidv4(), name, { summary: () => [...plan] }, runner, autostop);
    info.reported = reported;
    this.jobs.set(info.uuid, info);
    const loggers = new JobLoggers({ envName: name, jobId: info.uuid });
    runner.onEnd((outcome) => {
      info.endTime = new Date();
      this.endedJobs.add(info.uuid);
      const logger = loggers.for();
      if (outcome.status === 'failed')
        logger.error(`job ${name} (${info.uuid}) failed:`, outcome.error.message);
      else logger.info(`job ${name} (${info.uuid}) ${outcome.status}`);
      info.markFinished(outcome);
      loggers.release();
    });
    this.forgetOldJobs();
    return info;
  }

  /**
   * Compiles a job without running it and returns its physical plan as text: one line per vertex, with the
   * operators fused into it, its parallelism and its inputs with their partitioning.
   *
   * @example
   * ```ts
   * console.log(jm.explain(env));
   * // #0 [fromBatch:batch → map:map → filter:filter → sink:sink] ×1
   * ```
   */
  explain(job: JobDescription): string {
    return ExecutionGraph.compile(job.pipeline, compileOptions(job.config)).explain();
  }

  /** The status of a job, or `{ status: 'not_found' }` for an unknown uuid. */
  getJobStatus(uuid: string): JobStatus | UnknownJobStatus {
    const info = this.jobs.get(uuid);
    return info === undefined ? { uuid, status: 'not_found' } : info.toStatus();
  }

  /** The record of a job (undefined when unknown). */
  getJob(uuid: string): JobInfo | undefined {
    return this.jobs.get(uuid);
  }

  /** Every known job's status, in submission order. */
  listJobs(): JobStatus[] {
    return [...this.jobs.values()].map((j) => j.toStatus());
  }

  /**
   * One page of the job list as summaries (no per-operator arrays, no plan), in submit order, with the number
   * of jobs in all. Only the jobs of the page are summarised.
   *
   * @example
   * ```ts
   * const { jobs, total } = jm.listJobSummaries({ offset: 100, limit: 100 });
   * ```
   */
  listJobSummaries(options: PageOptions = {}): JobSummaryPage {
    const { offset, limit } = pageRange(options);
    const page = [...this.jobs.values()].slice(offset, offset + limit);
    return { jobs: page.map((j) => summarizeJob(j.toStatus())), total: this.jobs.size };
  }

  /** Pauses a running job: once this returns, no instance starts a new record. */
  pauseJob(uuid: string): JobStatus {
    const info = this.require(uuid);
    info.dispatcher.pause();
    return info.toStatus();
  }

  /** Resumes a paused job where it stopped, with the same function objects. */
  continueJob(uuid: string): JobStatus {
    const info = this.require(uuid);
    info.dispatcher.resume();
    return info.toStatus();
  }

  /**
   * A savepoint of a job: a consistent cut of every operator instance's state (function state and keyed
   * state by key group), taken with aligned barriers while the job goes on (a paused job stays paused, a
   * finished job answers its final state). It is JSON-compatible data; restore it into a new job, at any
   * parallelism up to `maxParallelism`, with `submit({ restore })`.
   *
   * @example
   * ```ts
   * const snapshot = await jm.snapshotJob(uuid);
   * await env.submit({ restore: snapshot });
   * ```
   */
  snapshotJob(uuid: string): Promise<JobSnapshot> {
    try {
      return this.require(uuid).dispatcher.snapshot();
    } catch (e) {
      return Promise.reject(toError(e));
    }
  }

  /**
   * Stops a job; its services are stopped and cleaned up. Stopping an ended job changes nothing. With
   * `{ savepoint: true }` it takes a last savepoint first, stops the job, and resolves with the savepoint.
   *
   * @example
   * ```ts
   * jm.stopJob(uuid);
   * const last = await jm.stopJob(uuid, { savepoint: true });
   * ```
   */
  stopJob(uuid: string): JobStatus;
  stopJob(uuid: string, options: { savepoint: true }): Promise<JobSnapshot>;
  stopJob(uuid: string, options?: { savepoint?: boolean }): JobStatus | Promise<JobSnapshot> {
    const info = this.require(uuid);
    if (options?.savepoint === true) {
      return info.dispatcher.snapshot().then((snapshot) => {
        info.dispatcher.stop();
        return snapshot;
      });
    }
    info.dispatcher.stop();
    return info.toStatus();
  }

  /**
   * Forgets a job (its status becomes `not_found`). A job still running or paused is refused unless `force`,
   * which stops it first.
   */
  deleteJob(uuid: string, options: { force?: boolean } = {}): { uuid: string; deleted: true } {
    const info = this.require(uuid);
    if (!info.ended) {
      if (options.force !== true) {
        throw new JobStateError(
          `Job ${uuid} is ${info.status}: stop it first, or delete with { force: true } to stop and delete it`,
        );
      }
      info.dispatcher.stop();
    }
    this.jobs.delete(uuid);
    this.endedJobs.delete(uuid);
    this.jobsWithState.delete(info);
    return { uuid, deleted: true };
  }

  /** Liveness and job counts. */
  healthCheck(): HealthReport {
    let running = 0;
    for (const j of this.jobs.values()) if (!j.ended) running++;
    return { status: 'healthy', jobs: this.jobs.size, running, uptimeMs: Date.now() - this.started };
  }

  /** The backend that runs `job`: the JobManager's own unless the submit asked for another. */
  private backendFor(
    job: JobDescription,
    spec: BackendSpec | undefined,
    placement: Placement,
  ): ExecutionBackend {
    const kind = backendKind(spec);
    if (
      kind === 'in-process' ||
      spec === undefined ||
      typeof spec === 'string' ||
      spec.kind === 'in-process'
    ) {
      return this.backend;
    }
    const origin = job.origin;
    if (origin === undefined) throw BackendUnavailableError.inline(kind, job.name);
    placement.kind = kind;
    if (spec.kind === 'redis') {
      return logJobBackend(origin, spec, this.connectLog, (runner) => {
        placement.latest = runner;
      });
    }
    return (plan, options) => {
      const runner = new ThreadsRunner(plan, options, origin, spec);
      placement.latest = runner;
      return runner;
    };
  }

  private require(uuid: string): JobInfo {
    const info = this.jobs.get(uuid);
    if (info === undefined) throw new JobNotFoundError(uuid);
    return info;
  }

  private watchEnd(info: JobInfo, services: ServiceRegistry, loggers: JobLoggers): void {
    info.dispatcher.onEnd((outcome) => {
      info.endTime = new Date();
      this.endedJobs.add(info.uuid);
      const logger = loggers.for();
      if (outcome.status === 'failed') logger.error('failed:', outcome.error);
      else logger.info(outcome.status);
      const finished = (): void => {
        info.markFinished(outcome);
        loggers.release();
        if (this.jobs.get(info.uuid) === info) this.keepState(info);
      };
      if (services.size === 0) finished();
      else void services.stop().then(finished);
    });
  }

  /**
   * `info` finished: it keeps its final state, and the finished job that kept it longest lets it go when more
   * than `maxFinishedJobStates` hold one (O(1) per job, however many jobs the JobManager remembers).
   */
  private keepState(info: JobInfo): void {
    this.jobsWithState.add(info);
    for (const oldest of this.jobsWithState) {
      if (this.jobsWithState.size <= this.maxFinishedJobStates) break;
      this.jobsWithState.delete(oldest);
      oldest.dispatcher.releaseState?.();
    }
  }

  /** Forgets the ended jobs that ended before the latest `maxFinishedJobs` ones (O(1) per forgotten job). */
  private forgetOldJobs(): void {
    for (const uuid of this.endedJobs) {
      if (this.endedJobs.size <= this.maxFinishedJobs) break;
      this.endedJobs.delete(uuid);
      const info = this.jobs.get(uuid);
      this.jobs.delete(uuid);
      if (info !== undefined) this.jobsWithState.delete(info);
    }
  }
}

/** Which backend beyond this thread runs a job, and its current run (for the status's `backend` and `workers`). */
class Placement {
  kind: string | undefined;
  latest: ThreadsRunner | LogJobRunner | undefined;

  workers(): readonly (WorkerStatus | LogWorkerStatus)[] {
    return this.latest?.workerStatus() ?? [];
  }

  tasks(): readonly LogTaskStatus[] | undefined {
    return this.latest !== undefined && 'taskStatus' in this.latest ? this.latest.taskStatus() : undefined;
  }

  startedRunning(): { readonly wallMs: number; readonly cpuUs: number } | undefined {
    return this.latest !== undefined && 'startedRunning' in this.latest
      ? this.latest.startedRunning
      : undefined;
  }

  workerStats(): readonly (ShardStats | undefined)[] {
    return this.latest !== undefined && 'workerStats' in this.latest ? this.latest.workerStats() : [];
  }
}

// The callbacks a job keeps while it runs are built by these functions, outside `startJob`, so that none
// shares a closure scope with the compiled graph (which holds the sources' data): a finished job keeps none.

function loggerFactory(loggers: JobLoggers): (component: string, instance?: number) => Logger {
  return (component, instance) => loggers.for(component, instance);
}

function storeCheckpoint(
  store: CheckpointStore,
  scheduler: SchedulerLike,
): (snapshot: JobSnapshot, durationMs: number, valid: () => boolean, stored: () => void) => Promise<void> {
  return (snapshot, durationMs, valid, stored) => store.save(snapshot, durationMs, scheduler, valid, stored);
}

function latestOf(store: CheckpointStore): () => JobSnapshot | undefined {
  return () => store.latest();
}

/** Builds the runs of a job (the first and every restart); the runner lets it go when the job ends. */
function runFactory(
  backend: ExecutionBackend,
  graph: ExecutionGraph,
  base: Omit<DispatcherOptions, 'restore' | 'jobEnd' | 'firstCheckpointId'>,
  store: CheckpointStore,
): RunFactory {
  return (restore, jobEnd) =>
    backend(graph, { ...base, restore, jobEnd, firstCheckpointId: (store.latest()?.checkpointId ?? 0) + 1 });
}

function compileOptions(config: JobDescription['config']): CompileOptions {
  const maxP = config.maxParallelism;
  return { fusion: config.fusion !== false, ...(typeof maxP === 'number' ? { maxParallelism: maxP } : {}) };
}

/** Throws `SnapshotMismatchError` when `submit({ restore })` was given something that is not a snapshot. */
function checkRestoreShape(restore: unknown): void {
  if (restore === undefined) return;
  const problem = snapshotShapeProblem(restore);
  if (problem === undefined) return;
  throw new SnapshotMismatchError(
    `submit: restore must be a JobSnapshot (from snapshotJob, stopJob(uuid, { savepoint: true }) or a checkpoint ` +
      `file), but ${problem}`,
  );
}
