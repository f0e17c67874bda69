import type { PartitionedLog } from '../../../../src/kernel/backend/redis/partitioned-log.js';
import { taskName } from '../../../../src/kernel/backend/redis/task-names.js';
import type { PhysicalPlan } from '../../../../src/kernel/runtime/physical-plan.js';
import { waitFor } from '../../../helpers/wait-for.js';

/**
 * Resolves once every task of job `id` (every instance of every vertex of `plan`) has committed its end in
 * `log`; rejects after `timeoutMs`.
 *
 * @example
 * ```ts
 * await untilJobDone(log, 'j', job.plan, 15000);
 * ```
 */
export async function untilJobDone(
  log: PartitionedLog,
  id: string,
  plan: PhysicalPlan,
  timeoutMs: number,
): Promise<void> {
  const tasks = plan.vertices.flatMap((v) =>
    Array.from({ length: v.parallelism }, (_, i) => taskName(id, v, i)),
  );
  await waitFor(async () => (await Promise.all(tasks.map((t) => log.load(t)))).every((c) => c.done), {
    what: 'the end of the job',
    timeoutMs,
    stepMs: 10,
  });
}
