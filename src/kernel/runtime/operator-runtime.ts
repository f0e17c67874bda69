import type { Subscription } from 'rxjs';
import type { TaskContext } from './context/task-context.js';
import type { JobGate } from './job-gate.js';
import type { JobOutcome } from './job-outcome.js';
import type { OperatorMetrics } from './metrics/operator-metrics.js';
import type { InstanceSnapshot } from './state/job-snapshot.js';
import type { KeyHolder } from './step.js';

/**
 * What one operator instance may ask of the runtime while it handles records. Lowered operators receive it
 * when they are built; user functions never see it.
 *
 * @example
 * ```ts
 * rt.hold();                      // an async call started: the record is not finished yet
 * promise.then((v) => rt.gate.whenRunning(() => { out.next(v); rt.release(); }));
 * ```
 */
export interface OperatorRuntime {
  /** The context injected into the user's function object. */
  readonly ctx: TaskContext;
  /** Counters of this operator instance. */
  readonly metrics: OperatorMetrics;
  /** Key and input index of the record being processed (read and restore around async work). */
  readonly holder: KeyHolder;
  /** Owns this instance's async work (inner subscriptions, scheduled actions): stopping the job ends it. */
  readonly subscription: Subscription;
  /** Pause/stop state of the job. */
  readonly gate: JobGate;
  /** Marks one async operation as started: the instance starts no new record until it is released. */
  hold(): void;
  /** Marks one async operation as finished. */
  release(): void;
  /** Applies the error policy to an error thrown by user code: counted and dropped, or the job fails. */
  error(error: unknown): void;
  /** Fails the job whatever the error policy (for faults that are not a bad record, such as an overflow). */
  failJob(error: unknown): void;
  /** Registers the user's function object of this instance, so snapshots can capture its fields. */
  registerFunction(fn: object): void;
  /** State restored for this instance from a snapshot, if any. */
  readonly restored: InstanceSnapshot | undefined;
  /** Calls `listener` once when the job completes, stops or fails (sinks use it to tell their observers). */
  onJobEnd(listener: (outcome: JobOutcome) => void): void;
}
