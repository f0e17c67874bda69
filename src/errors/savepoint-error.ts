import { SageError } from './sage-error.js';

/**
 * Thrown when a savepoint cannot be taken: under the Redis backend, when the job's tasks kept committing while
 * their state was read, so that no consistent cut was found (pause the job, then take it again).
 *
 * @example
 * ```ts
 * try { await jm.snapshotJob(uuid); } catch (e) { if (e instanceof SavepointError) jm.pauseJob(uuid); }
 * ```
 */
export class SavepointError extends SageError {}
