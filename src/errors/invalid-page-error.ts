import { describeValue } from './describe-value.js';
import { SageError } from './sage-error.js';

/**
 * A page of a job list was asked with a bad `offset` (not an integer ≥ 0) or `limit` (not an integer from 1 to
 * 1000).
 *
 * @example
 * ```ts
 * jm.listJobSummaries({ limit: 5000 }); // throws InvalidPageError: ask several pages of at most 1000
 * ```
 */
export class InvalidPageError extends SageError {
  constructor(
    readonly field: 'offset' | 'limit',
    value: unknown,
  ) {
    super(
      field === 'offset'
        ? `offset must be an integer of 0 or more, got ${describeValue(value)}`
        : `limit must be an integer from 1 to 1000, got ${describeValue(value)}: ask for several pages with offset`,
    );
  }
}
