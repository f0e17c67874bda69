import { Transformation, type TransformationInit } from './transformation.js';

/**
 * `getSideOutput(tag)`: the stream of the values a process function sent to side output `tag`. It takes them
 * over an edge of its own from the process vertex (never fused into it), and passes them on unchanged.
 *
 * @example
 * ```ts
 * new SideOutputTransformation({ name: 'late', parallelism: 2, inputs: [processTransformation] }, 'late');
 * ```
 */
export class SideOutputTransformation extends Transformation {
  readonly kind = 'sideOutput' as const;

  constructor(
    init: TransformationInit,
    /** The side output's id (its OutputTag's). */
    readonly tag: string,
  ) {
    super(init);
  }
}
