import { SageError } from './sage-error.js';

/**
 * Thrown by `join(…)` unless it gets exactly two inputs.
 *
 * @example
 * ```ts
 * a.keyBy(f).connect(b.keyBy(g)).connect(c.keyBy(h)).join(J); // JoinArityError: join needs exactly 2 inputs, got 3
 * ```
 */
export class JoinArityError extends SageError {
  constructor(readonly inputs: number) {
    super(
      `join needs exactly 2 inputs, got ${inputs}: connect two keyed streams, a.keyBy(f).connect(b.keyBy(g)).join(J)`,
    );
  }
}
