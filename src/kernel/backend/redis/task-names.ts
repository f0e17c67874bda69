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
