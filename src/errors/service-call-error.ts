import { SageError } from './sage-error.js';
import { errorMessage } from './error-message.js';

/**
 * A service method threw or rejected: the message carries the original error's message, `cause` is the
 * original error, and `service` / `method` say which call failed.
 *
 * @example
 * ```ts
 * try { await this.callService('calc', -1); }
 * catch (e) { if (e instanceof ServiceCallError) this.logger.warn(e.service, e.method, e.cause); }
 * ```
 */
export class ServiceCallError extends SageError {
  constructor(
    readonly service: string,
    readonly method: string,
    cause: unknown,
  ) {
    super(`Service ${service}.${method} failed: ${errorMessage(cause)}`, {
      cause,
    });
  }
}
