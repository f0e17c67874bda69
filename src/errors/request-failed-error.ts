import { SageError } from './sage-error.js';

/**
 * The JobManager server answered a request with `status: 'error'`. The message is the server's;
 * `errorType` names the server-side error class when it sent one (for example `ModuleNotAllowedError`).
 *
 * @example
 * ```ts
 * try { await client.pauseJob(uuid); }
 * catch (e) { if (e instanceof RequestFailedError) console.error(e.action, e.errorType, e.message); }
 * ```
 */
export class RequestFailedError extends SageError {
  constructor(
    readonly action: string,
    message: string,
    readonly errorType: string | undefined,
  ) {
    super(message);
  }
}
