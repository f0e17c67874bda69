import type { OperatorSpec, SourceSpec } from './operator-spec.js';

/**
 * How records cross an edge: `'round-robin'` spreads them over the consumer's instances, `'hash'` sends each
 * key to one instance, `'broadcast'` sends every record to every instance.
 */
export type Partitioning = 'round-robin' | 'hash' | 'broadcast';

/**
 * The physical plan the runtime runs: what the compiler produces, in the runtime's own terms (the runtime
 * knows nothing of transformations or of the fluent API).
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher(graph, options); // graph: a PhysicalPlan
 * ```
 */
export interface PhysicalPlan {
  readonly vertices: readonly PlanVertex[];
}

/** One vertex: a fused chain of operators run by `parallelism` instances. */
export interface PlanVertex {
  readonly id: number;
  readonly parallelism: number;
  /** Number of key groups: hash routing into the vertex and its keyed state go by key group. */
  readonly maxParallelism: number;
  /** The source at the head of the chain, when the vertex starts with one. */
  readonly source: SourceSpec | undefined;
  /** The fused operators, in record order. */
  readonly operators: readonly OperatorSpec[];
  readonly inputs: readonly PlanEdge[];
  readonly outputs: readonly PlanEdge[];
}

/** One edge: every instance of `from` connects to every instance of `to`. */
export interface PlanEdge {
  readonly from: PlanVertex;
  readonly to: PlanVertex;
  /** Input position at the consumer (its place in the `connect` chain). */
  readonly inputIndex: number;
  readonly partitioning: Partitioning;
  /** True for the back edge of a feedback loop (it carries no backpressure). */
  readonly feedback: boolean;
  /** The id of the side output this edge carries (`undefined`: the producer's main output). */
  readonly sideOutput?: string | undefined;
}
