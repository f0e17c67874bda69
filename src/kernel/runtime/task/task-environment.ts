import type { Logger } from 'loglevel';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { ErrorPolicy } from '../error-policy.js';
import type { JobGate } from '../job-gate.js';
import type { JobOutcome } from '../job-outcome.js';
import type { ServiceLookup } from '../service/service-lookup.js';
import type { JsonData } from '../state/json-codec.js';
import type { InstanceSnapshot } from '../state/job-snapshot.js';
import type { Task } from './task.js';

/** What every instance of a job shares: the job's identity, scheduler, gate and failure path. */
export interface TaskEnvironment {
  readonly envName: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly jobId: string;
  readonly scheduler: SchedulerLike;
  readonly gate: JobGate;
  /** Root subscription of the job, owned by the Dispatcher. */
  readonly subscription: Subscription;
  /** Error policy of the job, used when an operator sets none. */
  readonly errorPolicy: ErrorPolicy;
  /** The job's services, callable from every instance (none when absent). */
  readonly services?: ServiceLookup | undefined;
  /** Id the job's next checkpoint will have (the pending one before the first barrier). */
  readonly firstCheckpointId: number;
  /** Queue length at which an instance asks its sources to stop pulling. */
  readonly highWaterMark: number;
  /** The logger for an operator (its lines name the instance when `instance` is given). */
  loggerFor(operator: string, instance?: number): Logger;
  /** Fails the job: `operator` threw `error` under the `'fail'` policy. */
  fail(operator: string, error: unknown): void;
  /**
   * Fails the job once every record already inside it has been processed (a source that errored under `'fail'`
   * still delivers what it emitted before the error). Backends without it fail at once.
   */
  failAfterDrain?(operator: string, error: unknown): void;
  /**
   * The state to restore for one operator instance, when the job starts from a snapshot: the function state
   * saved by the instance with the same index, and the key groups this instance owns at `parallelism`.
   */
  restoredFor(
    operator: string,
    parallelIndex: number,
    parallelism: number,
    maxParallelism: number,
  ): InstanceSnapshot | undefined;
  /**
   * An instance took its cut of checkpoint `id`: its operators' state and, for a loop head, the records
   * recorded on its feedback channels (`[value, key, input]` triples, encoded).
   */
  ackCheckpoint(
    id: number,
    task: Task,
    state: ReadonlyMap<string, InstanceSnapshot>,
    inflight: readonly JsonData[] | undefined,
  ): void;
  /** Registers a listener for the end of the job. */
  onEnd(listener: (outcome: JobOutcome) => void): void;
}
