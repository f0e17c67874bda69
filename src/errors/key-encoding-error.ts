import { SageError } from './sage-error.js';

/**
 * A key that cannot be encoded: a function, a symbol, a class instance (other than `Date`) or a circular
 * object. Raised for the record whose key it is, so the error policy applies (under `'skip'` the record is
 * logged, counted and dropped).
 *
 * @example
 * ```ts
 * env.fromBatch([{ id: () => 1 }]).keyBy((r) => r.id); // the record fails with KeyEncodingError
 * ```
 */
export class KeyEncodingError extends SageError {}
