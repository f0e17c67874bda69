import { SageError } from './sage-error.js';

/**
 * The job that runs a service ended (completed, stopped or failed) before the service answered, or a call came
 * in after it ended. Every call still waiting at the end of a job receives this error, so no caller hangs.
 *
 * @example
 * ```ts
 * try { await env.callService('calc', 1); }
 * catch (e) { if (e instanceof ServiceStoppedError) console.log('submit the job again'); }
 * ```
 */
export class ServiceStoppedError extends SageError {
  constructor(
    readonly service: string,
    readonly method: string,
  ) {
    super(
      `Service call ${service}.${method} did not complete: the job running the service has ended; ` +
        `submit the job again to call its services`,
    );
  }
}
