import { SageError } from './sage-error.js';

/**
 * Thrown when a lifecycle call does not fit the job's state (for example deleting a running job without
 * `force`, or submitting an environment that was closed).
 *
 * @example
 * ```ts
 * jm.deleteJob(uuid); // JobStateError if the job is running: stop it first or pass { force: true }
 * ```
 */
export class JobStateError extends SageError {}
