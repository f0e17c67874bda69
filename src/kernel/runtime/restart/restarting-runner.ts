import type { SchedulerLike, Subscription } from 'rxjs';
import type { DispatcherState } from '../dispatcher.js';
import type { JobOutcome } from '../job-outcome.js';
import type { JobRunner } from '../job-runner.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { JobSnapshot } from '../state/job-snapshot.js';
import type { RestartPolicy } from './restart-strategy.js';
import { toError } from '../../../errors/to-error.js';

/** Builds one run of the job, restoring `restore` when given; `jobEnd` registers job-level end listeners. */
export type RunFactory = (
  restore: JobSnapshot | undefined,
  jobEnd: (listener: (outcome: JobOutcome) => void) => void,
) => JobRunner;

/**
 * Runs a job and restarts it after failures as its restart strategy says: each restart builds a new run
 * (fresh function objects) from the latest completed checkpoint (or the job's initial restore), after the
 * strategy's delay on the job's scheduler. Meanwhile the state is `restarting`; out of attempts, `failed`. A
 * failure while the first run starts (a constructor that throws, a snapshot that does not fit) is not
 * restarted: `start()` throws and the job is `failed` at once.
 *
 * @example
 * ```ts
 * const runner = new RestartingRunner(makeRun, new RestartPolicy(strategy), scheduler, () => store.latest(), undefined);
 * runner.start();
 * ```
 */
export class RestartingRunner implements JobRunner {
  private current: JobRunner | undefined;
  private restartCount = 0;
  private timer: Subscription | undefined;
  private outcome: JobOutcome | undefined;
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private readonly jobEndListeners: ((outcome: JobOutcome) => void)[] = [];
  private waiting = false;
  private starting = false;
  private endedWhileStarting: JobOutcome | undefined;
  private lastError: Error | undefined;

  constructor(
    private makeRun: RunFactory | undefined,
    private readonly policy: RestartPolicy,
    private readonly scheduler: SchedulerLike,
    private readonly latest: () => JobSnapshot | undefined,
    private readonly initialRestore: JobSnapshot | undefined,
  ) {}

  /** Restarts so far. */
  get restarts(): number {
    return this.restartCount;
  }

  get state(): DispatcherState {
    if (this.outcome !== undefined) return this.outcome.status;
    if (this.waiting) return 'restarting';
    return this.current?.state ?? 'created';
  }

  get error(): Error | undefined {
    return this.outcome?.status === 'failed' ? this.outcome.error : undefined;
  }

  /** The error of the last failure, also when the job restarted after it. */
  get lastFailure(): Error | undefined {
    return this.lastError;
  }

  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /** Builds and starts the first run; throws (and ends failed) when it cannot start. */
  start(): void {
    this.run(this.initialRestore, true);
  }

  pause(): void {
    this.current?.pause();
  }

  resume(): void {
    this.current?.resume();
  }

  stop(): void {
    if (this.outcome !== undefined) return;
    this.timer?.unsubscribe();
    if (this.waiting || this.current === undefined) this.finish({ status: 'stopped' });
    else this.current.stop();
  }

  metrics(): OperatorMetrics[] {
    return this.current?.metrics() ?? [];
  }

  queued(): number {
    return this.current?.queued() ?? 0;
  }

  releaseState(): void {
    this.current?.releaseState?.();
  }

  snapshot(): Promise<JobSnapshot> {
    const current = this.current;
    if (current === undefined || this.waiting) {
      const latest = this.latest() ?? this.initialRestore;
      return latest !== undefined
        ? Promise.resolve(latest)
        : Promise.reject(new Error('The job is restarting and has no completed checkpoint yet'));
    }
    return current.snapshot();
  }

  private run(restore: JobSnapshot | undefined, first: boolean): void {
    const make = this.makeRun;
    if (make === undefined) return;
    this.waiting = false;
    const run = make(restore, (listener) => {
      this.jobEndListeners.push(listener);
    });
    this.current = run;
    run.onEnd((outcome) => {
      if (run !== this.current) return;
      if (this.starting) this.endedWhileStarting = outcome;
      else this.runEnded(outcome);
    });
    this.starting = first;
    this.endedWhileStarting = undefined;
    try {
      run.start();
    } catch (e) {
      if (!first) return;
      // A job whose start throws ends failed at once: submit rejects, so no restart may follow.
      this.starting = false;
      const ended = this.takeEndedWhileStarting();
      this.finish(ended?.status === 'failed' ? ended : { status: 'failed', error: toError(e) });
      throw e;
    }
    this.starting = false;
    // The run started (its first records may have run inside start) and ended meanwhile: a failure of a
    // record is a failure like any other, restarted as the strategy says.
    const ended = this.takeEndedWhileStarting();
    if (ended !== undefined) this.runEnded(ended);
  }

  /** The outcome of a run that ended inside its own `start()`, once. */
  private takeEndedWhileStarting(): JobOutcome | undefined {
    const ended = this.endedWhileStarting;
    this.endedWhileStarting = undefined;
    return ended;
  }

  private runEnded(outcome: JobOutcome): void {
    if (outcome.status !== 'failed') {
      this.finish(outcome);
      return;
    }
    this.lastError = outcome.error;
    const delay = this.policy.next(this.scheduler.now());
    if (delay === undefined) {
      this.finish(outcome);
      return;
    }
    this.waiting = true;
    this.restartCount++;
    this.timer = this.scheduler.schedule(() => {
      this.timer = undefined;
      if (this.outcome !== undefined) return;
      this.run(this.latest() ?? this.initialRestore, false);
    }, delay);
  }

  private finish(outcome: JobOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.waiting = false;
    this.makeRun = undefined;
    for (const l of this.jobEndListeners.splice(0)) l(outcome);
    for (const l of this.listeners.splice(0)) l(outcome);
  }
}
