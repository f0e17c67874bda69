import type { JsonData } from './json-codec.js';
import type { KeyedSnapshot } from './keyed-snapshot.js';

/** The saved state of one operator instance: the function's fields and its managed keyed state. */
export interface InstanceSnapshot {
  /** The function's own state: its plain-data fields, or what its `snapshotState()` returned (encoded). */
  readonly fields?: unknown;
  /** Keyed state by key group. */
  readonly keyed?: KeyedSnapshot;
  /**
   * The number of key groups (the operator's `maxParallelism`) the keyed state was split into; a job whose
   * operator has another `maxParallelism` cannot restore it (`SnapshotMismatchError`, as in Flink).
   */
  readonly keyGroups?: number;
}

/**
 * The state of every operator instance of a job, as JSON-compatible data: take it with
 * `jobManager.snapshotJob(uuid)`, restore it into a new job with `submit({ restore: snapshot })`, at the same
 * or another parallelism (keyed state moves with its key groups).
 *
 * @example
 * ```ts
 * jm.pauseJob(uuid);
 * const snap = await jm.snapshotJob(uuid);
 * jm.stopJob(uuid);
 * await env.submit({ restore: snap });   // continues counting where the old job stopped
 * ```
 */
export interface JobSnapshot {
  readonly job: string;
  readonly takenAt: string;
  /** Number of key groups the keyed state is split into. */
  readonly maxParallelism?: number;
  /** Id of the checkpoint this snapshot is (savepoints count with checkpoints). */
  readonly checkpointId?: number;
  /** Operator name → one entry per instance, by parallel index. */
  readonly operators: Readonly<Record<string, readonly InstanceSnapshot[]>>;
  /**
   * Records on feedback edges at the cut: the first operator of a loop head → instance index → encoded
   * `[value, key, input]` triples (`input` is `[input, timestamp]` for a record with an event timestamp),
   * re-injected into that operator on restore.
   */
  readonly inflight?: Readonly<Record<string, Readonly<Record<string, readonly JsonData[]>>>>;
}
