import { toError } from '../../errors/to-error.js';
import type { Logger, LogLevelDesc } from 'loglevel';
import { asyncScheduler } from 'rxjs';
import { v4 as uuidv4 } from 'uuid';
import { JobNotFoundError } from '../../errors/job-not-found-error.js';
import { JobStateError } from '../../errors/job-state-error.js';
import { checkErrorPolicy } from '../runtime/error-policy.js';
import { Dispatcher } from '../runtime/dispatcher.js';
import type { ExecutionBackend } from '../runtime/job-runner.js';
import type { JobSnapshot } from '../runtime/state/job-snapshot.js';
import { ServiceRegistry } from '../runtime/service/service-registry.js';
import { ExecutionGraph } from './compiler/execution-graph.js';
import type { JobDescription } from './job-description.js';
import { JobInfo } from './job-info.js';
import { jobLogger } from './job-logger.js';
import type { JobStatus, UnknownJobStatus } from './job-status.js';

/** Options of `submitJob`. */
export interface SubmitOptions {
  /** Resolve only after the job completed (and reject if it failed). */
  readonly autostop?: boolean;
  /** Start every operator from this snapshot (taken with `snapshotJob` from a job with the same operators). */
  readonly restore?: JobSnapshot;
}

/** Options of a JobManager. */
export interface JobManagerOptions {
  /** How many ended jobs stay queryable before the oldest are forgotten (default 1000). */
  readonly maxFinishedJobs?: number;
  /** What runs each job (default: the in-process RxJS Dispatcher). */
  readonly backend?: ExecutionBackend;
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
  private readonly started = Date.now();

  private readonly maxFinishedJobs: number;
  private readonly backend: ExecutionBackend;

  /**
   * @param options a number is `maxFinishedJobs`; see {@link JobManagerOptions}
   */
  constructor(options: number | JobManagerOptions = {}) {
    const o = typeof options === 'number' ? { maxFinishedJobs: options } : options;
    this.maxFinishedJobs = o.maxFinishedJobs ?? 1000;
    this.backend = o.backend ?? inProcess;
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
    const errorPolicy = checkErrorPolicy(config.errorPolicy, `environment ${name}`) ?? 'skip';
    const graph = ExecutionGraph.compile(job.pipeline, { fusion: config.fusion !== false });
    const uuid = uuidv4();
    const highWaterMark = config.highWaterMark;
    const scheduler = config.scheduler ?? asyncScheduler;
    // Closures below capture only these plain values, never the job description: a finished job must not
    // keep the environment's pipeline (and the data its sources read) alive.
    const loggerFor = loggerFactory(name, config.logLevel);
    const services = new ServiceRegistry(job.services ?? [], {
      jobId: uuid,
      envName: name,
      scheduler,
      loggerFor,
      parent: job.parentServices,
    });
    const dispatcher = this.backend(graph, {
      jobId: uuid,
      envName: name,
      config: { ...config },
      scheduler,
      errorPolicy,
      restore: options.restore,
      ...(typeof highWaterMark === 'number' && highWaterMark > 0 ? { highWaterMark } : {}),
      loggerFor,
      services,
    });
    const info = new JobInfo(uuid, name, graph, dispatcher, options.autostop === true);
    info.services = services;
    services.start();
    this.jobs.set(uuid, info);
    this.watchEnd(info, services, jobLogger(name, config.logLevel));
    try {
      dispatcher.start();
    } catch (e) {
      void services.stop();
      throw e;
    }
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
    return ExecutionGraph.compile(job.pipeline, { fusion: job.config.fusion !== false }).explain();
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
   * The state of every operator instance of a job (function fields and managed keyed state) as frozen,
   * JSON-compatible data. Pause the job first for a consistent cut; restore it into a new job with
   * `submit({ restore })`.
   *
   * @example
   * ```ts
   * jm.pauseJob(uuid);
   * const snapshot = jm.snapshotJob(uuid);
   * ```
   */
  snapshotJob(uuid: string): JobSnapshot {
    return this.require(uuid).dispatcher.snapshot();
  }

  /** Stops a job; its services are stopped and cleaned up. Stopping an ended job changes nothing. */
  stopJob(uuid: string): JobStatus {
    const info = this.require(uuid);
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
    return { uuid, deleted: true };
  }

  /** Liveness and job counts. */
  healthCheck(): HealthReport {
    let running = 0;
    for (const j of this.jobs.values()) if (!j.ended) running++;
    return { status: 'healthy', jobs: this.jobs.size, running, uptimeMs: Date.now() - this.started };
  }

  private require(uuid: string): JobInfo {
    const info = this.jobs.get(uuid);
    if (info === undefined) throw new JobNotFoundError(uuid);
    return info;
  }

  private watchEnd(info: JobInfo, services: ServiceRegistry, logger: Logger): void {
    info.dispatcher.onEnd((outcome) => {
      info.endTime = new Date();
      if (services.size === 0) info.markFinished(outcome);
      else
        void services.stop().then(() => {
          info.markFinished(outcome);
        });
      if (outcome.status === 'failed') {
        logger.error(`job ${info.name} (${info.uuid}) failed:`, outcome.error.message);
      } else {
        logger.info(`job ${info.name} (${info.uuid}) ${outcome.status}`);
      }
    });
  }

  private forgetOldJobs(): void {
    let ended = 0;
    for (const j of this.jobs.values()) if (j.ended) ended++;
    if (ended <= this.maxFinishedJobs) return;
    for (const [uuid, j] of this.jobs) {
      if (ended <= this.maxFinishedJobs) break;
      if (j.ended) {
        this.jobs.delete(uuid);
        ended--;
      }
    }
  }
}

function loggerFactory(envName: string, level: LogLevelDesc | undefined): (component: string) => Logger {
  return (component) => jobLogger(envName, level, component);
}
