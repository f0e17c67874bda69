import { randomUUID } from 'node:crypto';
import { loadJobModule } from './load-job-module.js';
import type { JobRecord, PartitionedLog } from './partitioned-log.js';

/** A job module to run on the workers of a log. */
export interface LogJobSubmission {
  readonly jobRoot: string;
  /** The module's path relative to the job root (the same on every worker's machine). */
  readonly module: string;
  readonly exportName?: string;
  readonly args?: unknown;
  /** The job's id (default a new uuid). */
  readonly id?: string;
  /** Lease length of its tasks in ms (default 3000): a dead worker's tasks move after this long. */
  readonly leaseMs?: number;
}

/**
 * Registers a job module with the workers of a log: builds its plan here to take the fingerprint every worker
 * must reproduce, then writes the job record; workers pick it up within one tick.
 *
 * @example
 * ```ts
 * const id = await submitLogJob(log, { jobRoot: './jobs', module: 'count.ts', args: { n: 1000 } });
 * ```
 */
export async function submitLogJob(log: PartitionedLog, submission: LogJobSubmission): Promise<string> {
  const id = submission.id ?? randomUUID();
  const job = await loadJobModule({
    jobRoot: submission.jobRoot,
    module: submission.module,
    exportName: submission.exportName ?? 'default',
    args: submission.args,
    jobId: id,
  });
  const record: JobRecord = {
    id,
    module: submission.module,
    exportName: submission.exportName ?? 'default',
    args: submission.args,
    fingerprint: job.fingerprint,
    leaseMs: submission.leaseMs ?? 3000,
  };
  await log.putJob(record);
  return id;
}
