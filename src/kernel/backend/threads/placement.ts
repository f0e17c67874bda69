import { findLoops } from '../../runtime/loop/find-loops.js';
import type { PhysicalPlan, PlanVertex } from '../../runtime/physical-plan.js';

/**
 * Which worker runs each instance of a plan, and the global number of every instance, as every worker
 * computes them alike from the same plan. Instance i of vertex v runs on worker `(i + v.id) mod workers`,
 * which spreads parallelism-1 vertices; a fused chain is one vertex, so it never splits; every instance of a
 * feedback loop (a strongly connected component) runs on one worker, `(smallest vertex id) mod workers`, where
 * its loop tracker counts the records inside it.
 *
 * @example
 * ```ts
 * const placement = new Placement(plan, 2);
 * placement.ownerOf(vertex, 0); // 0 or 1
 * placement.taskId(vertex, 0);  // the same number on every worker
 * ```
 */
export class Placement {
  private readonly offsets = new Map<PlanVertex, number>();
  private readonly pinned = new Map<PlanVertex, number>();

  constructor(
    plan: PhysicalPlan,
    private readonly workers: number,
  ) {
    let next = 0;
    for (const v of plan.vertices) {
      this.offsets.set(v, next);
      next += v.parallelism;
    }
    for (const component of findLoops(plan.vertices)) {
      const worker = Math.min(...component.map((v) => v.id)) % workers;
      for (const v of component) this.pinned.set(v, worker);
    }
  }

  /** The worker that runs instance `instance` of `vertex`. */
  ownerOf(vertex: PlanVertex, instance: number): number {
    return this.pinned.get(vertex) ?? (instance + vertex.id) % this.workers;
  }

  /** The global number of instance `instance` of `vertex` (vertices in plan order, then instances). */
  taskId(vertex: PlanVertex, instance: number): number {
    return (this.offsets.get(vertex) as number) + instance;
  }
}
