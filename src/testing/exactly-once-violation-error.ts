import { SageError } from '../errors/sage-error.js';

/**
 * A key's sequence did not advance by exactly 1 at an {@link ExactlyOnceChecker}: a record was lost
 * (a gap) or its effect counted twice (a repeat).
 *
 * @example
 * ```ts
 * // thrown by ExactlyOnceChecker: key 3 expected sequence 8, got 10
 * ```
 */
export class ExactlyOnceViolationError extends SageError {}
