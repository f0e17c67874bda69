import { SageError } from './sage-error.js';

/**
 * Thrown by pause, continue, stop and delete when no job has the given uuid.
 *
 * @example
 * ```ts
 * try { jm.pauseJob('nope'); } catch (e) { if (e instanceof JobNotFoundError) console.log(e.uuid); }
 * ```
 */
export class JobNotFoundError extends SageError {
  constructor(readonly uuid: string) {
    super(`No job with uuid ${uuid}: list the jobs with listJobs() to see the known uuids`);
  }
}
