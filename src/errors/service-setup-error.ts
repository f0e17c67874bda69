import { SageError } from './sage-error.js';

/**
 * A service could not be built at submit: its constructor threw (the original error is the `cause`).
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
  ) {
    super(
      `Service ${service} could not be constructed: ${cause instanceof Error ? cause.message : String(cause)}; ` +
        `check its constructor and the arguments given to registerService`,
      { cause },
    );
  }
}
