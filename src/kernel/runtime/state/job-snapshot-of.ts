import { DEFAULT_MAX_PARALLELISM } from '../key/key-group.js';
import type { JsonData } from './json-codec.js';
import type { InstanceSnapshot, JobSnapshot } from './job-snapshot.js';

/**
 * Assembles a job's snapshot from the state its instances saved (by operator name, then instance index) and the
 * records saved on feedback edges; `id` 0 is a snapshot outside any checkpoint (of an ended job). Used by the
 * in-process Dispatcher and the threads backend, so both write the same format.
 *
 * @example
 * ```ts
 * jobSnapshotOf('word-count', undefined, { count: [{ keyed }] }, {}, 3); // checkpoint 3
 * ```
 */
export function jobSnapshotOf(
  job: string,
  maxParallelism: number | undefined,
  operators: Record<string, InstanceSnapshot[]>,
  inflight: Record<string, Record<string, readonly JsonData[]>>,
  id: number,
): JobSnapshot {
  return {
    job,
    takenAt: new Date().toISOString(),
    maxParallelism: maxParallelism ?? DEFAULT_MAX_PARALLELISM,
    ...(id > 0 ? { checkpointId: id } : {}),
    operators,
    ...(Object.keys(inflight).length > 0 ? { inflight } : {}),
  };
}
