import type { ErrorPolicy } from '../../kernel/runtime/error-policy.js';
import type { Partitioning } from '../../kernel/runtime/physical-plan.js';
import type { TransformationKind } from './transformation-kind.js';

/** What every transformation is built from. */
export interface TransformationInit {
  readonly name: string;
  readonly parallelism: number;
  readonly inputs?: readonly Transformation[];
  readonly errorPolicy?: ErrorPolicy | undefined;
}

/**
 * One node of the logical plan: what the user asked for with one chain call. It describes; it never runs.
 * The compiler turns transformations into the physical execution graph.
 *
 * @example
 * ```ts
 * const map = new MapTransformation({ name: 'double', parallelism: 2, inputs: [source] }, factory);
 * map.partitioning; // 'round-robin', or 'hash' when the input was hash-keyed
 * ```
 */
export abstract class Transformation {
  private static counter = 0;

  /** Unique id, in creation order. */
  readonly id = ++Transformation.counter;
  abstract readonly kind: TransformationKind;
  readonly name: string;
  readonly parallelism: number;
  /** Upstream transformations; the position is the input index. */
  readonly inputs: Transformation[];
  readonly errorPolicy: ErrorPolicy | undefined;

  constructor(init: TransformationInit) {
    this.name = init.name;
    this.parallelism = init.parallelism;
    this.inputs = [...(init.inputs ?? [])];
    this.errorPolicy = init.errorPolicy;
  }

  /**
   * How this transformation's output is partitioned at the next hop. A hash-keyed stream stays hash-keyed
   * through later steps until the next keyBy; round-robin and broadcast apply to one hop only.
   */
  get partitioning(): Partitioning {
    if (this.inputs.length === 0) return 'round-robin';
    return this.inputs.every((t) => t.partitioning === 'hash') ? 'hash' : 'round-robin';
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
