import { SageError } from './sage-error.js';

/**
 * A TCP connection of the control protocol failed: the client could not reach the JobManager server or lost
 * its connection before the answer came, or the server could not listen on its address.
 *
 * @example
 * ```ts
 * try { await client.healthCheck(); }
 * catch (e) { if (e instanceof ConnectionError) console.error(`is the server running? ${e.message}`); }
 * ```
 */
export class ConnectionError extends SageError {
  constructor(
    message: string,
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
