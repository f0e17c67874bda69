import { SageError } from './sage-error.js';

/**
 * A frame or message of the control protocol is malformed: bad length, frame over the size limit, invalid
 * UTF-8 or JSON, a missing or mistyped field. `fatal` means the byte stream cannot be resynchronised and the
 * connection must be closed.
 *
 * @example
 * ```ts
 * try { parseRequest(JSON.parse(text)); }
 * catch (e) { if (e instanceof ProtocolError) reply({ status: 'error', message: e.message }); }
 * ```
 */
export class ProtocolError extends SageError {
  constructor(
    message: string,
    readonly fatal = false,
  ) {
    super(message);
  }
}
