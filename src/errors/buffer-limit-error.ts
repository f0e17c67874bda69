import { ProtocolError } from './protocol-error.js';

/**
 * The JobManager server refused to buffer more of an incomplete frame: either a connection that has not yet
 * authenticated reached its small allowance, or all connections together reached the server's budget. Always
 * fatal: the server answers with this error and closes the connection.
 *
 * @example
 * ```ts
 * budget.reserve(bytes); // throws BufferLimitError when the server's budget is spent
 * ```
 */
export class BufferLimitError extends ProtocolError {
  constructor(
    /** The limit that was reached, in bytes. */
    readonly limit: number,
    /** Whose limit: one unauthenticated connection's, or the whole server's. */
    readonly scope: 'unauthenticated' | 'server',
  ) {
    super(
      scope === 'unauthenticated'
        ? `A connection that has not authenticated may buffer at most ${limit} bytes of a frame: make the first ` +
            'request a small one carrying the token; the connection is closed'
        : `The server already buffers its limit of ${limit} bytes of incomplete frames: try again later or send ` +
            'smaller requests; the connection is closed',
      true,
    );
  }
}
