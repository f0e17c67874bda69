import { SageError } from './sage-error.js';

/**
 * A snapshot does not fit the job it should restore: it holds state of an operator the job does not have
 * (operators are matched by name). Pass `allowNonRestoredState: true` to drop that state on purpose.
 *
 * @example
 * ```ts
 * await env.submit({ restore: snapshot }); // SnapshotMismatchError: operator 'count' is not in this job
 * await env.submit({ restore: snapshot, allowNonRestoredState: true });
 * ```
 */
export class SnapshotMismatchError extends SageError {}
