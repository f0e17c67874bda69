import type { DispatcherOptions, DispatcherState } from './dispatcher.js';
import type { JobOutcome } from './job-outcome.js';
import type { OperatorMetrics } from './metrics/operator-metrics.js';
import type { PhysicalPlan } from './physical-plan.js';
import type { JobSnapshot } from './state/job-snapshot.js';

/**
 * One running job as the JobManager steers it, whatever executes it. The in-process `Dispatcher` is the
 * first implementation; a worker-thread or broker backend implements the same interface, so nothing above
 * the runtime assumes one process.
 *
 * @example
 * ```ts
 * const run: JobRunner = backend(plan, options);
 * run.onEnd((outcome) => console.log(outcome.status));
 * run.start();
 * ```
 */
export interface JobRunner {
  readonly state: DispatcherState;
  /** The error of a failed job. */
  readonly error: Error | undefined;
  /** Calls `listener` once when the job ends (at once if it already has). */
  onEnd(listener: (outcome: JobOutcome) => void): void;
  /** Wires and starts the job; the sources are subscribed before this returns. */
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Per-instance counters. */
  metrics(): OperatorMetrics[];
  /** Records waiting in input queues. */
  queued(): number;
  /** A consistent cut of every operator instance's state, as JSON-compatible data (a savepoint). */
  snapshot(): Promise<JobSnapshot>;
  /**
   * Lets go of the final state of a job that ended (its function objects and keyed state); its counters stay,
   * and a later `snapshot()` rejects with a JobStateError. Nothing happens while the job runs.
   */
  releaseState?(): void;
}

/**
 * Builds the runner of one job from its physical plan: the seam where execution backends plug in.
 *
 * @example
 * ```ts
 * const jm = new JobManager({ backend: (plan, options) => new Dispatcher(plan, options) });
 * ```
 */
export type ExecutionBackend = (plan: PhysicalPlan, options: DispatcherOptions) => JobRunner;
