import type { Transformation } from '../../../core/transformation/transformation.js';
import type { OperatorSpec, SourceSpec } from '../../runtime/operator-spec.js';
import type { PlanVertex } from '../../runtime/physical-plan.js';
import type { ExecutionEdge } from './execution-edge.js';

/**
 * A vertex of the execution graph: one or more transformations fused into one chain, run by `parallelism`
 * instances.
 *
 * @example
 * ```ts
 * graph.vertices[0].transformations.map((t) => t.name); // ['numbers', 'double', 'out']
 * ```
 */
export class ExecutionVertex implements PlanVertex {
  readonly transformations: Transformation[] = [];
  readonly operators: OperatorSpec[] = [];
  readonly inputs: ExecutionEdge[] = [];
  readonly outputs: ExecutionEdge[] = [];
  source: SourceSpec | undefined;

  constructor(
    readonly id: number,
    readonly parallelism: number,
    /** Number of key groups of the vertex's keyed state and of hash routing into it. */
    readonly maxParallelism: number = 128,
  ) {}

  /** The last transformation of the chain: the one whose output leaves the vertex. */
  get tail(): Transformation {
    return this.transformations[this.transformations.length - 1] as Transformation;
  }
}
