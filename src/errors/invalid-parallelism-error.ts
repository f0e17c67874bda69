import { SageError } from './sage-error.js';

/**
 * Thrown when a chain method gets a `parallelism` that is not a positive integer, or one above the number of
 * key groups (`maxParallelism`).
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
    message?: string,
  ) {
    super(
      message ??
        `${operator}: parallelism must be a positive integer, got ${String(parallelism)}; ` +
          'pass { parallelism: n } with n = 1, 2, 3, …',
    );
  }
}
