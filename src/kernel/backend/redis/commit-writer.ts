/**
 * The `ctx.config` entry through which a sink running under a log backend (the Redis backend) appends to a
 * stream inside its task's atomic commit. Absent under every other backend.
 */
export const COMMIT_WRITER = 'sage.commitWriter';

/**
 * Appends made by user code to a stream as part of the running task's next commit: they become visible
 * together with the input positions and the state of the same batch, or not at all (exactly-once output).
 *
 * @example
 * ```ts
 * const writer = this.ctx.config[COMMIT_WRITER] as CommitWriter | undefined;
 * writer?.append('out', JSON.stringify(record));
 * ```
 */
export interface CommitWriter {
  /** Queues one entry (field `d` = `data`) for `stream` in the running batch's commit. */
  append(stream: string, data: string): void;
  /** An idempotency key for the record being processed: its input position and index in its batch. */
  recordId(): string;
  /**
   * Whether an append to `stream` can be part of the commit (on Redis Cluster: the stream, after `{task}` is
   * replaced, shares the task's hash slot). Absent: always.
   */
  inCommit?(stream: string): boolean;
}
