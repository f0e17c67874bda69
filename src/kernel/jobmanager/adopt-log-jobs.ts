import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { LogJobRunner } from '../backend/redis/log-job-runner.js';
import type { LogJobLayout, PartitionedLog } from '../backend/redis/partitioned-log.js';
import type { JobInfo } from './job-info.js';
import type { JobManager } from './job-manager.js';

/** Options of `adoptLogJobs`. */
export interface AdoptLogJobsOptions {
  /** The scheduler status polls run on (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
  /** How often each job's state is read from the log, in ms (default 200). */
  readonly pollMs?: number;
  /** Leaves out the jobs for which it answers true (for example jobs deleted from this JobManager). */
  readonly skip?: (id: string) => boolean;
}

/**
 * Takes over the jobs a log holds (the Redis backend) into `jobManager`, under their own ids: after a JobManager
 * restart they are listed again with their state read from the log (running, paused, finished, stopped or
 * failed), and pause, continue, stop and savepoints steer them as before. Jobs the JobManager already knows, and
 * jobs registered without a layout (`submitLogJob`), are left out. Resolves with the jobs it took over.
 *
 * @example
 * ```ts
 * const jm = new JobManager();
 * await adoptLogJobs(jm, await RedisLog.connect(url));
 * jm.listJobs(); // the jobs submitted before the restart
 * ```
 */
export async function adoptLogJobs(
  jobManager: JobManager,
  log: PartitionedLog,
  options: AdoptLogJobsOptions = {},
): Promise<JobInfo[]> {
  const adopted: JobInfo[] = [];
  const records = await log.jobs();
  records.sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
  for (const record of records) {
    const layout = record.layout;
    if (
      layout === undefined ||
      jobManager.getJob(record.id) !== undefined ||
      options.skip?.(record.id) === true
    ) {
      continue;
    }
    const runner = new LogJobRunner({
      connect: () => Promise.resolve(log),
      record: { ...record, layout: layout satisfies LogJobLayout },
      register: false,
      scheduler: options.scheduler ?? asyncScheduler,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
    runner.start();
    await runner.refresh();
    const info = jobManager.adoptJob(
      record.name ?? record.id,
      runner,
      layout.plan,
      false,
      undefined,
      record.id,
    );
    info.placement = {
      kind: 'redis',
      workers: () => runner.workerStatus(),
      tasks: () => runner.taskStatus(),
      startedRunning: () => undefined,
    };
    adopted.push(info);
  }
  return adopted;
}
