import { SageError } from './sage-error.js';

/**
 * Thrown by `coMap(…)` when some input has no handler: a class without `map{i}` for an input *i*, or an array
 * of functions shorter (or longer) than the number of connected inputs. No record is ever silently lost.
 *
 * @example
 * ```ts
 * a.connect(b).connect(c).coMap(TwoHandlers); // CoMapArityError: coMap needs map0 … map2 for 3 inputs, missing map2
 * ```
 */
export class CoMapArityError extends SageError {
  constructor(
    readonly inputs: number,
    detail: string,
  ) {
    super(`coMap needs a handler for each of its ${inputs} inputs (map0 … map${inputs - 1}): ${detail}`);
  }
}
