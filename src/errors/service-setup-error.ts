import { SageError } from './sage-error.js';
import { errorMessage } from './error-message.js';

/**
 * A service could not be set up: its constructor threw at submit (then `submit` rejects), or its `setup()`
 * threw or rejected (then the service refuses every call with this error). The original
 * error is the `cause`.
 *
 * @example
 * ```ts
 * try { await env.submit(); }
 * catch (e) { if (e instanceof ServiceSetupError) console.error(e.service, e.cause); }
 * ```
 */
export class ServiceSetupError extends SageError {
  constructor(
    readonly service: string,
    cause: unknown,
    /** What failed: the constructor (the default) or `setup()`. */
    readonly stage: 'constructor' | 'setup' = 'constructor',
  ) {
    const reason = errorMessage(cause);
    super(
      stage === 'constructor'
        ? `Service ${service} could not be constructed: ${reason}; ` +
            `check its constructor and the arguments given to registerService`
        : `Service ${service} is not available: its setup() failed (${reason}); ` +
            `it serves no calls in this job. Fix setup() and submit the job again`,
      { cause },
    );
  }
}
