import type { ResourceLimits } from 'node:worker_threads';
import { asyncScheduler, type Subscription } from 'rxjs';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import { JobModuleError } from '../../../errors/job-module-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import type { CheckpointStats } from '../../runtime/checkpoint/checkpoint-stats.js';
import type { DispatcherState } from '../../runtime/dispatcher.js';
import type { JobOutcome } from '../../runtime/job-outcome.js';
import type { JobRunner } from '../../runtime/job-runner.js';
import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { ServiceStats } from '../../runtime/service/service-stats.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { PlanSummary } from '../../jobmanager/job-status.js';
import { siblingModule, spawnWorker } from '../spawn-worker.js';
import { fromWireError, type WireError } from '../wire-error.js';
import { fromWireMetrics } from '../wire-metrics.js';
import type { FromJobWorker, IsolatedJobData, JobReport, ToJobWorker } from './isolation-protocol.js';
import type { Worker } from 'node:worker_threads';

/** How the server isolates a job: its V8 heap limits and how long a stopped job may take to end. */
export interface IsolationOptions {
  /** The job thread's heap limits (default: old generation 512 MiB). */
  readonly resourceLimits?: ResourceLimits;
  /** After `stop`, how long the job's thread may take to end before it is terminated, in ms (default 2000). */
  readonly stopGraceMs?: number;
}

/** Longest time a job thread may take to start and import its module, in ms. */
const LOAD_TIMEOUT_MS = 60_000;
/** Time a job thread has beyond the build timeout to report its own timeout (a builder stuck in a loop cannot). */
const BUILD_TIMEOUT_MARGIN_MS = 500;

/** Default heap limits of a job thread. */
export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512 };

const NO_CHECKPOINTS: CheckpointStats = {
  completed: 0,
  failed: 0,
  lastId: 0,
  lastDurationMs: 0,
  lastSizeBytes: 0,
};

/**
 * One job of the JobManager server running in a worker thread of its own: its module is imported, built and
 * run there, so a job that calls `process.exit`, loops for ever or runs out of memory ends `failed` (or
 * `stopped`) and the server and its other jobs go on. Control calls go to the thread as messages; status comes
 * from its latest report. `stop` ends the job at once, and terminates the thread if it has not ended within
 * the grace period (a job stuck in a loop cannot answer).
 *
 * @example
 * ```ts
 * const { runner, plan } = await IsolatedJobRunner.start(data, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
 * jobManager.adoptJob(name, runner, plan, autostop);
 * ```
 */
export class IsolatedJobRunner implements JobRunner {
  private current: DispatcherState = 'running';
  private outcome: JobOutcome | undefined;
  private report: JobReport | undefined;
  private metricsCache: OperatorMetrics[] | undefined;
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private readonly snapshots = new Map<number, { resolve(s: JobSnapshot): void; reject(e: Error): void }>();
  private nextSnapshot = 1;
  private grace: Subscription | undefined;
  private exited = false;
  private killed = false;
  /** Wall-clock time (ms) of the thread's latest report: a thread stuck in a loop stops reporting. */
  lastSeen = Date.now();

  private constructor(
    private readonly worker: Worker,
    private readonly jobName: string,
    private readonly stopGraceMs: number,
  ) {}

  /**
   * Starts the job's thread and resolves once its job started, with the runner and the plan; rejects with the
   * build's error (`JobModuleError`, `SnapshotMismatchError`…) when the module failed to load or build, or the
   * thread died or did not answer within the build timeout (it is then terminated).
   */
  static start(
    data: IsolatedJobData,
    options: IsolationOptions = {},
  ): Promise<{ runner: IsolatedJobRunner; plan: readonly PlanSummary[] }> {
    const worker = spawnWorker(siblingModule(import.meta.url, 'isolated-job-worker'), {
      workerData: data,
      resourceLimits: options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS,
      stdout: false,
      stderr: false,
    });
    const name = data.name ?? data.module;
    const runner = new IsolatedJobRunner(worker, name, options.stopGraceMs ?? 2000);
    return new Promise((resolve, reject) => {
      let settled = false;
      const where = `Job module ${data.module} (export "${data.export}")`;
      const give = (error: Error): void => {
        if (settled) return;
        settled = true;
        timer.unsubscribe();
        void worker.terminate();
        reject(error);
      };
      let timer = asyncScheduler.schedule(() => {
        give(
          new JobModuleError(`${where} did not load within ${LOAD_TIMEOUT_MS} ms; its thread was terminated`),
        );
      }, LOAD_TIMEOUT_MS);
      worker.on('message', (message: FromJobWorker) => {
        if (!settled) {
          if (message.type === 'building') {
            timer.unsubscribe();
            timer = asyncScheduler.schedule(() => {
              give(
                new JobModuleError(
                  `${where}: the builder did not finish within ${data.buildTimeoutMs} ms; its thread was terminated`,
                ),
              );
            }, data.buildTimeoutMs + BUILD_TIMEOUT_MARGIN_MS);
            return;
          }
          if (message.type === 'build-failed') give(buildError(message.error));
          else if (message.type === 'started') {
            settled = true;
            timer.unsubscribe();
            runner.take(message.report);
            resolve({ runner, plan: message.plan });
            return;
          }
        }
        runner.receive(message);
      });
      worker.on('error', (e) => {
        give(new JobModuleError(`${where} crashed its thread while building: ${e.message}`, { cause: e }));
        runner.fail(e);
      });
      worker.on('exit', (code) => {
        give(new JobModuleError(`${where} ended its thread (exit code ${String(code)}) while building`));
        runner.exit(code);
      });
    });
  }

  get state(): DispatcherState {
    return this.current;
  }

  get error(): Error | undefined {
    return this.outcome?.status === 'failed' ? this.outcome.error : undefined;
  }

  /** True once the job's thread has exited. */
  get threadExited(): boolean {
    return this.exited;
  }

  /** True when `stop` had to terminate the thread (it did not end within the grace period). */
  get terminatedAfterGrace(): boolean {
    return this.killed;
  }

  /** Restarts of the job inside its thread (restart strategy). */
  get restarts(): number {
    return this.report?.restarts ?? 0;
  }

  /** The job's service counters, as last reported. */
  services(): readonly ServiceStats[] {
    return this.report?.services ?? [];
  }

  /** The job's checkpoint counters, as last reported. */
  checkpoints(): CheckpointStats {
    return this.report?.checkpoints ?? NO_CHECKPOINTS;
  }

  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /** The thread started the job already: nothing to do. */
  start(): void {
    return;
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.send({ type: 'pause' });
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.send({ type: 'resume' });
  }

  /** Ends the job now; its thread is terminated unless it ended by itself within the grace period. */
  stop(): void {
    if (this.outcome !== undefined) return;
    this.send({ type: 'stop' });
    this.end({ status: 'stopped' });
    this.grace = asyncScheduler.schedule(() => {
      if (this.exited) return;
      this.killed = true;
      void this.worker.terminate();
    }, this.stopGraceMs);
  }

  metrics(): OperatorMetrics[] {
    return (this.metricsCache ??= fromWireMetrics(this.report?.metrics ?? []));
  }

  queued(): number {
    return this.report?.queued ?? 0;
  }

  snapshot(): Promise<JobSnapshot> {
    if (this.outcome !== undefined || this.exited) {
      return Promise.reject(
        new JobStateError(`Job ${this.jobName} ran in its own thread, which has ended: its state is gone`),
      );
    }
    const id = this.nextSnapshot++;
    return new Promise<JobSnapshot>((resolve, reject) => {
      this.snapshots.set(id, { resolve, reject });
      this.send({ type: 'snapshot', id });
    });
  }

  private send(message: ToJobWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  private receive(message: FromJobWorker): void {
    switch (message.type) {
      case 'report':
        this.take(message.report);
        return;
      case 'snapshot': {
        const waiting = this.snapshots.get(message.id);
        this.snapshots.delete(message.id);
        if (message.snapshot !== undefined) waiting?.resolve(message.snapshot);
        else waiting?.reject(fromWireError(message.error ?? { name: 'Error', message: 'snapshot failed' }));
        return;
      }
      case 'ended':
        this.take(message.report);
        this.end(
          message.status === 'failed'
            ? {
                status: 'failed',
                error: fromWireError(message.error ?? { name: 'Error', message: 'failed' }),
              }
            : { status: message.status },
        );
        void this.worker.terminate();
        return;
      default:
        return;
    }
  }

  private take(report: JobReport): void {
    this.lastSeen = Date.now();
    this.report = report;
    this.metricsCache = undefined;
    if (this.outcome === undefined && (report.state !== 'paused' || this.current === 'paused')) {
      this.current = report.state === 'created' ? 'running' : report.state;
    }
  }

  /** The thread crashed (an uncaught error, out of memory): the job fails. */
  private fail(error: Error): void {
    this.end({
      status: 'failed',
      error: new JobFailedError(this.jobName, 'job thread', error),
    });
  }

  /** The thread exited: before the job ended (`process.exit`), that fails the job. */
  private exit(code: number): void {
    this.exited = true;
    this.grace?.unsubscribe();
    this.end({
      status: 'failed',
      error: new JobFailedError(
        this.jobName,
        'job thread',
        new Error(
          `the job's thread exited with code ${String(code)} before the job ended (a job module must not call process.exit)`,
        ),
      ),
    });
  }

  private end(outcome: JobOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.current = outcome.status;
    for (const [, waiting] of this.snapshots) {
      waiting.reject(
        new JobStateError(`Job ${this.jobName} ${outcome.status} before the snapshot was taken`),
      );
    }
    this.snapshots.clear();
    for (const listener of this.listeners.splice(0)) listener(outcome);
  }
}

/** The error a failed build reports, as its own class when the server answers it specially. */
function buildError(data: WireError): Error {
  if (data.name === 'SnapshotMismatchError') return new SnapshotMismatchError(data.message);
  if (data.name === 'JobModuleError') return new JobModuleError(data.message);
  return fromWireError(data);
}
