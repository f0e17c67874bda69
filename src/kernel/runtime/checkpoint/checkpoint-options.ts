/**
 * Periodic checkpointing of a job (`env.enableCheckpointing(intervalMs, options)`).
 *
 * @example
 * ```ts
 * env.enableCheckpointing(1_000, { storage: './checkpoints', retained: 3 });
 * ```
 */
export interface CheckpointOptions {
  /** Milliseconds between the starts of two checkpoints (on the job's scheduler). */
  readonly intervalMs: number;
  /** A directory (one file per checkpoint, written atomically), or the JobManager's memory (default). */
  readonly storage?: string;
  /** How many completed checkpoints are kept (default 1). */
  readonly retained?: number;
}
