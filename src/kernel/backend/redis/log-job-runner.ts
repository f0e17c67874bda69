import type { SchedulerLike, Subscription } from 'rxjs';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import { toError } from '../../../errors/to-error.js';
import type { DispatcherState } from '../../runtime/dispatcher.js';
import type { JobOutcome } from '../../runtime/job-outcome.js';
import type { JobRunner } from '../../runtime/job-runner.js';
import { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import { readLogJob, type LogJobView, type LogTaskStatus, type LogWorkerStatus } from './log-job-status.js';
import { logSavepoint } from './log-savepoint.js';
import type { JobControl, JobRecord, LogJobLayout, PartitionedLog } from './partitioned-log.js';

/** Options of a `LogJobRunner`. */
export interface LogJobRunnerOptions {
  /** The log the job lives in (connected when the runner starts). */
  readonly connect: () => Promise<PartitionedLog>;
  /** The job as the workers find it; it must carry its `layout`. */
  readonly record: JobRecord & { readonly layout: LogJobLayout };
  /** True to write the record (a new submit); false for a job already in the log (a JobManager restart). */
  readonly register: boolean;
  /** The scheduler the status polls and savepoint retries run on. */
  readonly scheduler: SchedulerLike;
  /** How often the job's state is read from the log, in ms (default 200). */
  readonly pollMs?: number;
}

/**
 * Steers a job that runs on the workers of a log (the Redis backend) from a JobManager: submit writes its record
 * and control flag; pause, continue and stop write the flag, which every worker reads each tick; the state,
 * workers, task owners, lag and record counts are read from the log every `pollMs`; a savepoint reads the
 * committed state. Everything lives in the log, so a new JobManager steers the same job after a restart.
 *
 * @example
 * ```ts
 * const runner = new LogJobRunner({ connect, record, register: true, scheduler: asyncScheduler });
 * runner.onEnd((o) => console.log(o.status));
 * runner.start();
 * ```
 */
export class LogJobRunner implements JobRunner {
  private current: DispatcherState = 'created';
  private failure: Error | undefined;
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private outcome: JobOutcome | undefined;
  private log: Promise<PartitionedLog> | undefined;
  /** Control writes, in order. */
  private writes: Promise<unknown> = Promise.resolve();
  private view: LogJobView | undefined;
  private poll: Subscription | undefined;
  /** Bumped by every control change made here: a read that overlapped one does not set the state back. */
  private steering = 0;
  private holding = 0;

  constructor(private readonly options: LogJobRunnerOptions) {}

  get state(): DispatcherState {
    return this.current;
  }

  get error(): Error | undefined {
    return this.failure;
  }

  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /** Registers the job (when new) and starts reading its state. */
  start(): void {
    if (this.current !== 'created') return;
    this.current = 'running';
    const { record, register } = this.options;
    this.log = this.options.connect();
    this.control(async (log) => {
      if (register) {
        await log.setControl(record.id, 'running');
        await log.putJob(record);
      }
      await this.refresh();
    });
    this.schedulePoll();
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.setControl('paused');
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.setControl('running');
  }

  /** Asks every worker to release the job's tasks; the job ends `stopped`. */
  stop(): void {
    if (this.outcome !== undefined) return;
    this.setControl('stopped');
    this.end({ status: 'stopped' });
  }

  /** Per task: its head operator's committed records in and out. */
  metrics(): OperatorMetrics[] {
    const layout = this.options.record.layout;
    return (this.view?.tasks ?? []).map((t, i) => {
      const task = layout.tasks[i];
      const m = new OperatorMetrics(task?.head ?? t.task, task?.instance ?? 0, task?.vertex ?? -1);
      m.in = t.recordsIn;
      m.out = t.recordsOut;
      return m;
    });
  }

  /** Entries not yet consumed on every task's input streams. */
  queued(): number {
    return (this.view?.tasks ?? []).reduce((n, t) => n + t.lag, 0);
  }

  /** The live workers, with the tasks of this job each holds (as last read). */
  workerStatus(): readonly LogWorkerStatus[] {
    return this.view?.workers ?? [];
  }

  /** Each task's owner, lag and committed record counts (as last read). */
  taskStatus(): readonly LogTaskStatus[] {
    return this.view?.tasks ?? [];
  }

  /**
   * A savepoint read from the committed state (see `logSavepoint`). A running job is held while it is read and
   * goes on afterwards; a paused one stays paused.
   */
  async snapshot(): Promise<JobSnapshot> {
    const log = await this.connected();
    const { record } = this.options;
    const hold = this.current === 'running';
    this.holding++;
    try {
      if (hold) await this.writeControl(log, 'paused');
      return await logSavepoint(log, record.name ?? record.id, record.layout, {
        scheduler: this.options.scheduler,
      });
    } finally {
      if (hold && this.current === 'running') await this.writeControl(log, 'running');
      this.holding--;
      this.steering++;
    }
  }

  /** Reads the job's state from the log now (the poll does this every `pollMs`). */
  async refresh(): Promise<void> {
    const log = await this.connected();
    const steering = this.steering;
    const view = await readLogJob(log, this.options.record, this.options.record.layout);
    this.view = view;
    if (this.outcome !== undefined) return;
    switch (view.state) {
      case 'finished':
        this.end({ status: 'completed' });
        break;
      case 'failed': {
        const name = this.options.record.name ?? this.options.record.id;
        this.end({
          status: 'failed',
          error: new JobFailedError(name, 'a Redis worker', new Error(view.error ?? 'failed')),
        });
        break;
      }
      case 'stopped':
        this.end({ status: 'stopped' });
        break;
      case 'paused':
      case 'running':
        // Another JobManager may have paused or continued the job; a change made here meanwhile wins.
        if (steering === this.steering && this.holding === 0) this.current = view.state;
        break;
    }
  }

  private connected(): Promise<PartitionedLog> {
    this.log ??= this.options.connect();
    return this.log;
  }

  private setControl(control: JobControl): void {
    this.steering++;
    this.control((log) => this.writeControl(log, control));
  }

  private writeControl(log: PartitionedLog, control: JobControl): Promise<void> {
    return log.setControl(this.options.record.id, control);
  }

  /** Runs `work` after the earlier control writes; a failure fails the job unless it already ended. */
  private control(work: (log: PartitionedLog) => Promise<void>): void {
    this.writes = this.writes
      .then(() => this.connected())
      .then(work)
      .then(() => {
        this.steering++;
      })
      .catch((e: unknown) => {
        if (this.outcome === undefined) this.end({ status: 'failed', error: toError(e) });
      });
  }

  private schedulePoll(): void {
    const every = this.options.pollMs ?? 200;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const runner = this;
    this.poll = this.options.scheduler.schedule(function () {
      if (runner.outcome !== undefined) return;
      void runner.refresh().catch(() => undefined);
      this.schedule(undefined, every);
    }, every);
  }

  private end(outcome: JobOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.current = outcome.status;
    if (outcome.status === 'failed') this.failure = outcome.error;
    this.poll?.unsubscribe();
    for (const listener of this.listeners.splice(0)) listener(outcome);
  }
}
