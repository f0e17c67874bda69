import { describeValue } from './describe-value.js';
import { SageError } from './sage-error.js';

/**
 * Thrown when a chain method gets something that is neither a plain function nor a class of the right kind
 * (for example a `SinkFunction` class passed to `map`).
 *
 * @example
 * ```ts
 * env.fromBatch([1]).map(42 as never); // throws InvalidFunctionError
 * ```
 */
export class InvalidFunctionError extends SageError {
  constructor(
    readonly operator: string,
    readonly expected: string,
    received: unknown,
  ) {
    super(`${operator}: expected ${expected}, got ${describeValue(received)}`);
  }
}
