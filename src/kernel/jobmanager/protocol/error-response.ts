import type { ErrorResponse, RequestId } from './messages.js';

/**
 * Builds an error response of the control protocol; `errorType` names the error class when known.
 *
 * @example
 * ```ts
 * socket.write(encodeFrame(errorResponse(null, 'Too many connections', 'ConnectionError')));
 * ```
 */
export function errorResponse(
  requestId: RequestId | null,
  message: string,
  errorType?: string,
): ErrorResponse {
  return {
    request_id: requestId,
    status: 'error',
    message,
    ...(errorType !== undefined ? { error_type: errorType } : {}),
  };
}
