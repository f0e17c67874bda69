import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointStats } from '../runtime/checkpoint/checkpoint-stats.js';
import type { JobSnapshot } from '../runtime/state/job-snapshot.js';

/**
 * Where the completed checkpoints of one job go: the JobManager's memory (default) or a directory, one JSON
 * file per checkpoint written atomically (a temporary file renamed into place), the last `retained` kept.
 * It also keeps the job's checkpoint counters.
 *
 * @example
 * ```ts
 * const store = new CheckpointStore('./checkpoints/job-1', 3);
 * store.save(snapshot, 12);
 * store.latest(); // the snapshot
 * ```
 */
export class CheckpointStore {
  private readonly kept: JobSnapshot[] = [];
  private completed = 0;
  private lastDurationMs = 0;
  private lastSizeBytes = 0;
  /** Checkpoints that could not complete (counted by the runner). */
  failed = 0;

  constructor(
    private readonly directory: string | undefined,
    private readonly retained = 1,
  ) {
    if (directory !== undefined) mkdirSync(directory, { recursive: true });
  }

  /** Stores a completed checkpoint, forgetting (and deleting) the ones beyond `retained`. */
  save(snapshot: JobSnapshot, durationMs: number): void {
    const text = JSON.stringify(snapshot);
    this.completed++;
    this.lastDurationMs = durationMs;
    this.lastSizeBytes = Buffer.byteLength(text);
    this.kept.push(snapshot);
    while (this.kept.length > this.retained) this.kept.shift();
    const dir = this.directory;
    if (dir === undefined) return;
    const name = `checkpoint-${String(snapshot.checkpointId ?? this.completed).padStart(8, '0')}.json`;
    const tmp = join(dir, `.${name}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(dir, name));
    const files = readdirSync(dir)
      .filter((f) => /^checkpoint-\d+\.json$/.test(f))
      .sort();
    for (const f of files.slice(0, Math.max(0, files.length - this.retained))) rmSync(join(dir, f));
  }

  /** The latest completed checkpoint, if any. */
  latest(): JobSnapshot | undefined {
    return this.kept[this.kept.length - 1];
  }

  /** The counters, as the job status shows them. */
  stats(): CheckpointStats {
    return {
      completed: this.completed,
      failed: this.failed,
      lastId: this.latest()?.checkpointId ?? 0,
      lastDurationMs: this.lastDurationMs,
      lastSizeBytes: this.lastSizeBytes,
    };
  }
}
