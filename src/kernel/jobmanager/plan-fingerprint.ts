import { createHash } from 'node:crypto';
import type { PhysicalPlan } from '../runtime/physical-plan.js';

/**
 * The fingerprint of a compiled plan: SHA-256 (hex) of its vertices (fused operators by name, parallelism, key
 * groups, inputs with their partitioning and feedback flag) and of the job module's file hash. Two workers that
 * built the same plan from the same module file agree on it; anything else (a builder that branched on
 * `Math.random()`, a different module file) gives another fingerprint, and the job fails with
 * `PlanMismatchError`. Operators are identified by name, never by a process-wide counter, so building other
 * jobs first changes nothing.
 *
 * @example
 * ```ts
 * const fp = planFingerprint(ExecutionGraph.compile(env.pipeline), env.origin?.moduleHash ?? '');
 * ```
 */
export function planFingerprint(graph: PhysicalPlan, moduleHash: string): string {
  const vertices = graph.vertices.map((v) => ({
    source: v.source?.name ?? null,
    operators: v.operators.map((o) => [o.name, o.kind]),
    parallelism: v.parallelism,
    maxParallelism: v.maxParallelism,
    inputs: v.inputs.map((e) => [e.from.id, e.partitioning, e.inputIndex, e.feedback]),
  }));
  return createHash('sha256').update(JSON.stringify({ vertices, moduleHash })).digest('hex');
}
