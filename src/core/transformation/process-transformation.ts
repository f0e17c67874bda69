import type { ContextAware, FunctionFactory } from './function-factory.js';
import { Transformation, type TransformationInit } from './transformation.js';

/** A process function object as the runtime calls it. */
export interface ProcessLike extends ContextAware {
  processElement(value: unknown): unknown;
  onTimer?(timestamp: number, domain: 'event' | 'processing'): unknown;
  finish?(): unknown;
  takeCollected?(): readonly unknown[] | undefined;
}

/**
 * `process`: a ProcessFunction or KeyedProcessFunction per record, with timers (keyed streams only) and side
 * outputs. The ids of the side outputs someone consumes are gathered here by `getSideOutput`.
 *
 * @example
 * ```ts
 * new ProcessTransformation({ name: 'alerts', parallelism: 2, inputs: [keyed] }, factory);
 * ```
 */
export class ProcessTransformation extends Transformation {
  readonly kind = 'process' as const;
  /** Ids of the side outputs consumed downstream (`getSideOutput`); values sent to others are dropped. */
  readonly sideOutputs = new Set<string>();

  constructor(
    init: TransformationInit,
    readonly factory: FunctionFactory<ProcessLike>,
  ) {
    super(init);
  }

  override get fusible(): boolean {
    return true;
  }
}
