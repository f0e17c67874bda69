import { SageError } from './sage-error.js';
import { errorMessage } from './error-message.js';

/**
 * The error a failed job reports: its message names the job and the operator, its `cause` is the original
 * error thrown by user code.
 *
 * @example
 * ```ts
 * try { await env.submit({ autostop: true }); }
 * catch (e) { if (e instanceof JobFailedError) console.error(e.operator, e.cause); }
 * ```
 */
export class JobFailedError extends SageError {
  constructor(
    readonly jobName: string,
    readonly operator: string,
    cause: unknown,
  ) {
    super(`Job ${jobName} failed in ${operator}: ${errorMessage(cause)}`, {
      cause,
    });
  }
}
