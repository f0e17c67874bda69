import type { StateRoot } from './state-root.js';

/** The saved state of one operator instance: the function's fields and its managed keyed state. */
export interface InstanceSnapshot {
  readonly fields?: unknown;
  readonly keyed?: StateRoot;
}

/**
 * The state of every operator instance of a job, as frozen JSON-compatible data: take it from a paused job
 * with `jobManager.snapshotJob(uuid)`, restore it into a new job with `submit({ restore: snapshot })`.
 *
 * @example
 * ```ts
 * jm.pauseJob(uuid);
 * const snap = jm.snapshotJob(uuid);
 * jm.stopJob(uuid);
 * await env.submit({ restore: snap });   // continues counting where the old job stopped
 * ```
 */
export interface JobSnapshot {
  readonly job: string;
  readonly takenAt: string;
  /** Operator name → one entry per instance, by parallel index. */
  readonly operators: Readonly<Record<string, readonly InstanceSnapshot[]>>;
}
