/**
 * Checkpoint counters of a job, as its status shows them.
 *
 * @example
 * ```ts
 * const s = jm.getJobStatus(uuid);
 * if (s.status !== 'not_found') console.log(s.checkpoints.completed);
 * ```
 */
export interface CheckpointStats {
  readonly completed: number;
  readonly failed: number;
  /** Id of the last completed checkpoint (0 when none). */
  readonly lastId: number;
  readonly lastDurationMs: number;
  /** Size of the last completed checkpoint as JSON, in bytes. */
  readonly lastSizeBytes: number;
}
