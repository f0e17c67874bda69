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
    super(`${operator}: expected ${expected}, got ${describe(received)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') {
    return `class or function ${value.name || '(anonymous)'}`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
