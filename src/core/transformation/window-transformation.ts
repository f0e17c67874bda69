import type { Window } from '../api/window/window.js';
import type { WindowedStreamSpec } from '../api/window/windowed-stream-spec.js';
import type { FunctionFactory } from './function-factory.js';
import { ProcessTransformation, type ProcessLike } from './process-transformation.js';
import type { TransformationInit } from './transformation.js';

/** Never called: a window step runs its `WindowedStreamSpec`, not a process function. */
const NO_FUNCTION: FunctionFactory<ProcessLike> = {
  label: 'window',
  create: () => {
    throw new Error('a window step has no process function');
  },
};

/**
 * A windowed step (`keyed.window(…).reduce(…)`, `countWindow`, `windowAll`): a keyed process step that runs a
 * `WindowOperator` per instance. It is a process step, so `getSideOutput(lateTag)` works on its result.
 *
 * @example
 * ```ts
 * new WindowTransformation({ name: 'window', parallelism: 2, inputs: [keyed] }, spec);
 * ```
 */
export class WindowTransformation extends ProcessTransformation {
  constructor(
    init: TransformationInit,
    readonly spec: WindowedStreamSpec<unknown, unknown, unknown, Window>,
  ) {
    super(init, NO_FUNCTION);
  }
}
