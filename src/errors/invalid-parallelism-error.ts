import { SageError } from './sage-error.js';

/**
 * Thrown when a chain method gets a `parallelism` that is not a positive integer.
 *
 * @example
 * ```ts
 * env.fromBatch([1]).map((x) => x, { parallelism: 0 }); // throws InvalidParallelismError
 * ```
 */
export class InvalidParallelismError extends SageError {
  constructor(
    readonly operator: string,
    readonly parallelism: unknown,
  ) {
    super(
      `${operator}: parallelism must be a positive integer, got ${String(parallelism)}; ` +
        'pass { parallelism: n } with n = 1, 2, 3, …',
    );
  }
}
