import type { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { compileJob, type LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import type { PartitionedLog } from '../../../../src/kernel/backend/redis/partitioned-log.js';

/**
 * Registers a job on `log` the way `submitLogJob` does for a module: `declare` builds its environment (as every
 * worker's loader does), the plan's fingerprint goes into the job record. Returns the compiled job and the
 * loader the spec's LogWorkers take.
 */
export async function registerJob(
  log: PartitionedLog,
  declare: () => LocalEnvironment,
  options: { readonly id?: string; readonly leaseMs?: number } = {},
): Promise<{ readonly job: LoadedJob; readonly load: () => Promise<LoadedJob> }> {
  const id = options.id ?? 'j';
  const load = (): Promise<LoadedJob> => Promise.resolve(compileJob(declare(), id, ''));
  const job = await load();
  await log.putJob({
    id,
    module: 'm',
    exportName: 'default',
    args: undefined,
    fingerprint: job.fingerprint,
    leaseMs: options.leaseMs ?? 1000,
  });
  return { job, load };
}
