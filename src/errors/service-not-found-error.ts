import { SageError } from './sage-error.js';

/**
 * A call named a service that the job does not have.
 *
 * @example
 * ```ts
 * try { await env.callService('nope', 1); }
 * catch (e) { if (e instanceof ServiceNotFoundError) console.log(e.service, e.known); }
 * ```
 */
export class ServiceNotFoundError extends SageError {
  constructor(
    readonly service: string,
    readonly known: readonly string[],
  ) {
    super(
      `No service named '${service}' in this job (registered: ${known.length === 0 ? 'none' : known.join(', ')}): ` +
        `register it with env.registerService('${service}', ServiceClass, ...args) before submit`,
    );
  }
}
