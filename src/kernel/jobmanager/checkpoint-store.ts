import { mkdirSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { stringifyInSlices } from '../runtime/state/stringify-in-slices.js';
import { CheckpointFileWriter } from './checkpoint-store-writer.js';
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
 * await store.save(snapshot, 12);
 * store.latest(); // the snapshot
 * ```
 */
export class CheckpointStore {
  private readonly kept: JobSnapshot[] = [];
  private completed = 0;
  private lastDurationMs = 0;
  private lastSizeBytes = 0;
  /** The save in progress (saves run one after the other). */
  private saving: Promise<void> = Promise.resolve();
  /** Checkpoints that could not complete (counted by the runner). */
  failed = 0;

  constructor(
    private readonly directory: string | undefined,
    private readonly retained = 1,
  ) {
    if (directory !== undefined) mkdirSync(directory, { recursive: true });
  }

  /**
   * Stores a completed checkpoint, forgetting (and deleting) the ones beyond `retained`. The snapshot is
   * written as JSON a few milliseconds at a time on `scheduler` (to measure its size, and to a file, in batches
   * as it is produced), so a large state does not stall the job; it counts as completed (and `latest()` gives it) once stored. Saves
   * happen one after the other, in the order asked; one that is no longer `valid()` once written (its run
   * failed meanwhile) is dropped and rejects. `stored()` is called in the same turn as the checkpoint becomes
   * the latest (after the last check of `valid()`).
   */
  save(
    snapshot: JobSnapshot,
    durationMs: number,
    scheduler: SchedulerLike = asyncScheduler,
    valid: () => boolean = () => true,
    stored: () => void = () => undefined,
  ): Promise<void> {
    const done = this.saving.then(() => this.store(snapshot, durationMs, scheduler, valid, stored));
    this.saving = done.catch(() => {
      if (valid()) this.failed++;
    });
    return done;
  }

  private async store(
    snapshot: JobSnapshot,
    durationMs: number,
    scheduler: SchedulerLike,
    valid: () => boolean,
    stored: () => void,
  ): Promise<void> {
    const dir = this.directory;
    const name = `checkpoint-${String(snapshot.checkpointId ?? this.completed + 1).padStart(8, '0')}.json`;
    // Written to the file as it is produced: the whole JSON is never held, joined or converted at once.
    const file = dir !== undefined ? await CheckpointFileWriter.open(join(dir, `.${name}.tmp`)) : undefined;
    let bytes = 0;
    try {
      await stringifyInSlices(snapshot, scheduler, (piece) => {
        bytes += Buffer.byteLength(piece);
        file?.write(piece);
      });
      // A run that failed meanwhile never told its functions this checkpoint completed: it must not be restored.
      if (!valid())
        throw new Error(`checkpoint ${String(snapshot.checkpointId)} was dropped: its run failed`);
      await file?.close();
    } catch (e) {
      await file?.discard();
      throw e;
    }
    if (dir !== undefined && file !== undefined) {
      await rename(file.path, join(dir, name));
      if (!valid()) {
        await rm(join(dir, name), { force: true });
        throw new Error(`checkpoint ${String(snapshot.checkpointId)} was dropped: its run failed`);
      }
      const files = (await readdir(dir)).filter((f) => /^checkpoint-\d+\.json$/.test(f)).sort();
      for (const f of files.slice(0, Math.max(0, files.length - this.retained))) await rm(join(dir, f));
    }
    // The awaits above let other work run (a failure among it): the last check is in this very turn.
    if (!valid()) {
      if (dir !== undefined) await rm(join(dir, name), { force: true });
      throw new Error(`checkpoint ${String(snapshot.checkpointId)} was dropped: its run failed`);
    }
    this.completed++;
    this.lastDurationMs = durationMs;
    this.lastSizeBytes = bytes;
    this.kept.push(snapshot);
    while (this.kept.length > this.retained) this.kept.shift();
    // In the same turn as it becomes the latest: no failure can come between, so a restore from this
    // checkpoint always follows its notifyCheckpointComplete.
    stored();
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
