import type { Partitioning, PlanEdge } from '../../runtime/physical-plan.js';
import type { ExecutionVertex } from './execution-vertex.js';

/**
 * An edge of the execution graph: every instance of `from` feeds every instance of `to`, partitioned as stated.
 *
 * @example
 * ```ts
 * new ExecutionEdge(sourceVertex, sinkVertex, 0, 'hash', false);
 * ```
 */
export class ExecutionEdge implements PlanEdge {
  constructor(
    readonly from: ExecutionVertex,
    readonly to: ExecutionVertex,
    readonly inputIndex: number,
    readonly partitioning: Partitioning,
    readonly feedback: boolean,
    /** The id of the side output this edge carries (`undefined`: the main output). */
    readonly sideOutput?: string,
  ) {}
}
