import type { PhysicalPlan } from '../../runtime/physical-plan.js';
import type { LogJobLayout } from './partitioned-log.js';
import { edgeStream, taskName } from './task-names.js';

/**
 * The layout of a job under a log backend: its tasks in plan order (the order the workers number them in),
 * each with its head operator and its input streams, plus the plan's summary. A JobManager stores it with the
 * job record, so that status and savepoints work without importing the job's module.
 *
 * @example
 * ```ts
 * const layout = layoutOf(job.plan, 'job-1');
 * layout.tasks[1].inputs; // [{ stream: '{job-1:0:0}:x:0:0', input: 0 }]
 * ```
 */
export function layoutOf(plan: PhysicalPlan, jobId: string): LogJobLayout {
  const tasks = plan.vertices.flatMap((vertex) =>
    Array.from({ length: vertex.parallelism }, (_, instance) => ({
      name: taskName(jobId, vertex, instance),
      vertex: vertex.id,
      instance,
      head: vertex.source?.name ?? vertex.operators[0]?.name ?? `#${String(vertex.id)}`,
      source: vertex.source !== undefined,
      inputs: vertex.inputs.flatMap((edge) =>
        Array.from({ length: edge.from.parallelism }, (_, j) => ({
          stream: edgeStream(taskName(jobId, edge.from, j), edge.from.outputs.indexOf(edge), instance),
          input: edge.inputIndex,
        })),
      ),
    })),
  );
  return {
    maxParallelism: plan.vertices[0]?.maxParallelism ?? 128,
    tasks,
    plan: plan.vertices.map((v) => ({
      vertex: v.id,
      operators: [...(v.source !== undefined ? [v.source.name] : []), ...v.operators.map((o) => o.name)],
      parallelism: v.parallelism,
      inputs: v.inputs.map((e) => ({ from: e.from.id, partitioning: e.partitioning, input: e.inputIndex })),
    })),
  };
}
