import { SageError } from './sage-error.js';

/**
 * A command line or a server option is wrong (unknown flag, missing argument, unsafe binding). The `sage`
 * command exits with code 2 for it.
 *
 * @example
 * ```ts
 * throw new UsageError('job status needs a job uuid: sage job status <uuid>');
 * ```
 */
export class UsageError extends SageError {}
