import type { ErrorPolicy } from '../../kernel/runtime/error-policy.js';
import type { Partitioning } from '../../kernel/runtime/physical-plan.js';
import type { TransformationKind } from './transformation-kind.js';

/** What every transformation is built from. */
export interface TransformationInit {
  readonly name: string;
  readonly parallelism: number;
  readonly inputs?: readonly Transformation[];
  readonly errorPolicy?: ErrorPolicy | undefined;
  /** This operator's number of key groups, when set on the operator (else the job's). */
  readonly maxParallelism?: number | undefined;
}

/**
 * One node of the logical plan: what the user asked for with one chain call. It describes; it never runs.
 * The compiler turns transformations into the physical execution graph. Its `name` (unique in its
 * environment) is its identity across processes, snapshots and worker threads: there is no process-wide id.
 *
 * @example
 * ```ts
 * const map = new MapTransformation({ name: 'double', parallelism: 2, inputs: [source] }, factory);
 * map.partitioning; // 'round-robin', or 'hash' when the input was hash-keyed
 * ```
 */
export abstract class Transformation {
  abstract readonly kind: TransformationKind;
  readonly name: string;
  readonly parallelism: number;
  /** Upstream transformations; the position is the input index. */
  readonly inputs: Transformation[];
  readonly errorPolicy: ErrorPolicy | undefined;
  /** This operator's number of key groups, when set on the operator (else the job's). */
  readonly maxParallelism: number | undefined;

  constructor(init: TransformationInit) {
    this.name = init.name;
    this.parallelism = init.parallelism;
    this.inputs = [...(init.inputs ?? [])];
    this.errorPolicy = init.errorPolicy;
    this.maxParallelism = init.maxParallelism;
  }

  /**
   * How this transformation's output is partitioned at the next hop. A hash-keyed stream stays hash-keyed
   * through later steps until the next keyBy (around feedback loops too); round-robin and broadcast apply to
   * one hop only.
   */
  get partitioning(): Partitioning {
    return this.inheritedPartitioning(new Set());
  }

  /** True when every input is hash-keyed: the operator sees keyed records and may use keyed state. */
  get keyedInput(): boolean {
    return this.inputs.length > 0 && this.inputs.every((t) => t.partitioning === 'hash');
  }

  /**
   * The partitioning a step without a key function of its own passes on: hash when every input is hash-keyed.
   * `visiting` breaks the cycle of a feedback loop: a transformation met again while its own partitioning is
   * being worked out counts as hash (the loop then stays hash-keyed exactly when everything entering it is).
   */
  protected inheritedPartitioning(visiting: Set<Transformation>): Partitioning {
    if (this.inputs.length === 0) return 'round-robin';
    if (visiting.has(this)) return 'hash';
    visiting.add(this);
    const hash = this.inputs.every((t) => t.partitioningWithin(visiting) === 'hash');
    visiting.delete(this);
    return hash ? 'hash' : 'round-robin';
  }

  /** This transformation's partitioning, computed inside an enclosing computation (see `inheritedPartitioning`). */
  protected partitioningWithin(visiting: Set<Transformation>): Partitioning {
    return this.inheritedPartitioning(visiting);
  }

  /** True for a stateless one-input step the compiler may fuse into its upstream's chain. */
  get fusible(): boolean {
    return false;
  }

  /** True when the transformation produces records itself (no inputs). */
  get isSource(): boolean {
    return false;
  }
}
