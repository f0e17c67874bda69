import { lowerOperator, lowerSourceOf } from '../../../core/operator/lower.js';
import type { Transformation } from '../../../core/transformation/transformation.js';
import { FutureTransformation } from '../../../core/transformation/future-transformation.js';
import { SideOutputTransformation } from '../../../core/transformation/side-output-transformation.js';
import { FutureError } from '../../../errors/future-error.js';
import { InvalidParallelismError } from '../../../errors/invalid-parallelism-error.js';
import { DEFAULT_MAX_PARALLELISM } from '../../runtime/key/key-group.js';
import { PipelineBuildError } from '../../../errors/pipeline-build-error.js';
import type { PhysicalPlan } from '../../runtime/physical-plan.js';
import type { PlanSummary } from '../job-status.js';
import { ExecutionEdge } from './execution-edge.js';
import { ExecutionVertex } from './execution-vertex.js';

/** Compiler settings. */
export interface CompileOptions {
  /** Fuse adjacent stateless steps (default true). */
  readonly fusion?: boolean;
  /** The job's number of key groups (default 128); an operator's own setting wins. */
  readonly maxParallelism?: number;
}

/**
 * The physical plan of a job, compiled from its logical plan: each transformation becomes `parallelism`
 * instances; edges connect every upstream instance to every downstream instance; adjacent stateless steps
 * (map, filter, flatMap, keyBy, sink) are fused into one vertex, as Flink chains operators, when nothing
 * would change: the producer has a single consumer, the parallelism is equal, and the edge does not
 * repartition: parallelism 1, or a hash edge after a step that kept the key (instance i already holds exactly
 * the keys that hash to i). A keyBy fuses into its producer at any equal parallelism: it only tags records,
 * and the repartition happens at the next hop. Round-robin and broadcast edges at parallelism > 1, and the
 * hash edge right after a keyBy, stay separate.
 *
 * @example
 * ```ts
 * const graph = ExecutionGraph.compile(env.pipeline);
 * console.log(graph.explain());
 * ```
 */
export class ExecutionGraph implements PhysicalPlan {
  readonly vertices: ExecutionVertex[] = [];

  private constructor() {}

  /** Compiles a logical plan. Throws PipelineBuildError when it cannot run. */
  static compile(pipeline: readonly Transformation[], options: CompileOptions = {}): ExecutionGraph {
    const graph = new ExecutionGraph();
    if (!pipeline.some((t) => t.isSource)) {
      throw new PipelineBuildError(
        'The pipeline has no source: start it with fromBatch, fromCollection, fromSource or fromObservable',
      );
    }
    const included = new Set(pipeline);
    const consumers = new Map<Transformation, number>();
    for (const t of pipeline) {
      if (t instanceof FutureTransformation && !t.filled) {
        throw new FutureError(
          `Future '${t.name}' was never filled: close the loop with stream.fillFuture(future)`,
        );
      }
      for (const i of t.inputs) {
        if (!included.has(i))
          throw new PipelineBuildError(`${t.name}: its input ${i.name} is not part of this pipeline`);
        consumers.set(i, (consumers.get(i) ?? 0) + 1);
      }
    }
    const vertexOf = new Map<Transformation, ExecutionVertex>();
    const heads: Transformation[] = [];
    const fusion = options.fusion !== false;
    const jobMaxParallelism = options.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
    for (const t of pipeline) {
      const maxP = t.maxParallelism ?? jobMaxParallelism;
      if (t.parallelism > maxP) {
        throw new InvalidParallelismError(
          t.name,
          t.parallelism,
          `${t.name}: parallelism ${String(t.parallelism)} is above maxParallelism ${String(maxP)} (the number of key groups); ` +
            'lower the parallelism or raise maxParallelism',
        );
      }
    }
    for (const t of pipeline) {
      const upstream = t.inputs[0];
      if (fusion && upstream !== undefined && vertexOf.has(upstream) && canFuse(upstream, t, consumers)) {
        const vertex = vertexOf.get(upstream) as ExecutionVertex;
        vertex.transformations.push(t);
        vertex.operators.push(lowerOperator(t));
        vertexOf.set(t, vertex);
        continue;
      }
      const vertex = new ExecutionVertex(
        graph.vertices.length,
        t.parallelism,
        t.maxParallelism ?? jobMaxParallelism,
      );
      vertex.transformations.push(t);
      if (t.isSource) vertex.source = lowerSourceOf(t);
      else vertex.operators.push(lowerOperator(t));
      graph.vertices.push(vertex);
      vertexOf.set(t, vertex);
      heads.push(t);
    }
    for (const t of heads) {
      const vertex = vertexOf.get(t) as ExecutionVertex;
      t.inputs.forEach((input, index) => {
        const from = vertexOf.get(input) as ExecutionVertex;
        const feedback = t instanceof FutureTransformation && dependsOn(input, t);
        const side = t instanceof SideOutputTransformation ? t.tag : undefined;
        const edge = new ExecutionEdge(from, vertex, index, input.partitioning, feedback, side);
        from.outputs.push(edge);
        vertex.inputs.push(edge);
      });
    }
    return graph;
  }

  /** The plan as data: one entry per vertex, with its fused operators and inputs. */
  summary(): PlanSummary[] {
    return this.vertices.map((v) => ({
      vertex: v.id,
      operators: v.transformations.map((t) => t.name),
      parallelism: v.parallelism,
      inputs: v.inputs.map((e) => ({ from: e.from.id, partitioning: e.partitioning, input: e.inputIndex })),
    }));
  }

  /** The plan as text, one line per vertex, e.g. `#1 [map → filter → sink] ×2 ← #0 (round-robin)`. */
  explain(): string {
    return this.vertices
      .map((v) => {
        const chain = v.transformations.map((t) => `${t.name}:${t.kind}`).join(' → ');
        const inputs = v.inputs.map(
          (e) =>
            `#${e.from.id} (${e.partitioning}${e.feedback ? ', feedback' : ''}` +
            `${e.sideOutput !== undefined ? `, side output ${e.sideOutput}` : ''})`,
        );
        return `#${v.id} [${chain}] ×${v.parallelism}${inputs.length > 0 ? ` ← ${inputs.join(', ')}` : ''}`;
      })
      .join('\n');
  }
}

/** True when `t` is upstream of `from` (so an edge from `from` into `t` closes a loop). */
function dependsOn(from: Transformation, t: Transformation): boolean {
  const seen = new Set<Transformation>();
  const stack = [from];
  while (stack.length > 0) {
    const next = stack.pop() as Transformation;
    if (next === t) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...next.inputs);
  }
  return false;
}

function canFuse(
  upstream: Transformation,
  t: Transformation,
  consumers: Map<Transformation, number>,
): boolean {
  if (!t.fusible || t.inputs.length !== 1 || consumers.get(upstream) !== 1) return false;
  if (upstream.kind === 'sink' || upstream.kind === 'future' || t.parallelism !== upstream.parallelism) {
    return false;
  }
  if (t.kind === 'keyBy') return upstream.partitioning !== 'broadcast' || t.parallelism === 1;
  if (t.parallelism === 1) return true;
  // A hash edge whose key did not change (the producer is not a keyBy) between equal parallelism is a
  // forward edge: instance i already holds exactly the keys that hash to i.
  return upstream.partitioning === 'hash' && upstream.kind !== 'keyBy';
}
