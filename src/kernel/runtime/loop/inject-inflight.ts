import { instanceForKey } from '../key/key-group.js';
import { decodeJson } from '../state/json-codec.js';
import type { JobSnapshot } from '../state/job-snapshot.js';
import type { Task } from '../task/task.js';

/**
 * Puts the records a restored snapshot saved on feedback edges back into the loop heads among `tasks`: a keyed
 * record goes to the instance that owns its key group at today's parallelism, an unkeyed one to the instance with
 * the saved index (modulo the parallelism). Used by the in-process Dispatcher and by each thread's shard runner
 * (which holds every instance of a loop).
 *
 * @example
 * ```ts
 * injectInflight(tasks, options.restore?.inflight);
 * ```
 */
export function injectInflight(tasks: readonly Task[], saved: JobSnapshot['inflight']): void {
  if (saved === undefined) return;
  const byHead = new Map<string, Task[]>();
  for (const t of tasks) {
    const list = byHead.get(t.headName) ?? [];
    list[t.index] = t;
    byHead.set(t.headName, list);
  }
  for (const [head, instances] of Object.entries(saved)) {
    const heads = byHead.get(head);
    if (heads === undefined) continue;
    const parts: unknown[][] = heads.map(() => []);
    for (const [index, records] of Object.entries(instances)) {
      for (let i = 0; i + 2 < records.length; i += 3) {
        const key = decodeJson(records[i + 1]);
        const to =
          key !== undefined
            ? instanceForKey(key, heads.length, (heads[0] as Task).maxKeyGroups)
            : Number(index) % heads.length;
        (parts[to] as unknown[]).push(decodeJson(records[i]), key, records[i + 2]);
      }
    }
    heads.forEach((t, i) => {
      t.inject(parts[i] as unknown[]);
    });
  }
}
