import type { PlanVertex } from '../../runtime/physical-plan.js';

/**
 * The name of task `(job, stage, instance)`: instance `instance` of the plan vertex `stage`. Its keys carry it
 * as a hash tag (`{job:stage:instance}`), so everything one task commits lives in one Redis Cluster slot.
 *
 * @example
 * ```ts
 * taskName('job-1', vertex, 0); // 'job-1:2:0'
 * ```
 */
export function taskName(job: string, vertex: PlanVertex, instance: number): string {
  return `${job}:${String(vertex.id)}:${String(instance)}`;
}

/**
 * The stream from a producer task to instance `consumer` of the target of the producer vertex's output edge
 * number `edge`: one writer, one reader, co-located with its producer (its writes are part of the producer's
 * commit).
 *
 * @example
 * ```ts
 * edgeStream('job-1:0:0', 0, 1); // '{job-1:0:0}:x:0:1'
 * ```
 */
export function edgeStream(producerTask: string, edge: number, consumer: number): string {
  return `{${producerTask}}:x:${String(edge)}:${String(consumer)}`;
}

/**
 * The placeholder a sink's stream name may hold for the hash tag of the task that writes it.
 *
 * @example
 * ```ts
 * counts.sink(LogStreamSink, { args: [{ stream: `${TASK_TAG}:counts` }] });
 * ```
 */
export const TASK_TAG = '{task}';

/**
 * A stream name as the task `task` writes it: every `{task}` replaced by the task's hash tag, so that the
 * stream shares the slot of the task's commit on Redis Cluster (one stream per sink instance).
 *
 * @example
 * ```ts
 * taskStream('{task}:counts', 'job-1:3:0'); // '{job-1:3:0}:counts'
 * taskStream('counts', 'job-1:3:0'); // 'counts'
 * ```
 */
export function taskStream(stream: string, task: string): string {
  return stream.includes(TASK_TAG) ? stream.split(TASK_TAG).join(`{${task}}`) : stream;
}
