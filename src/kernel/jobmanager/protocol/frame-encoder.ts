import { ProtocolError } from '../../../errors/protocol-error.js';
import { MAX_FRAME_BYTES } from './protocol-defaults.js';

/**
 * Encodes one message as a frame of the control protocol: a 4-byte big-endian length, then the message as
 * UTF-8 JSON. Throws a `ProtocolError` when the message is not JSON-serialisable or its payload exceeds
 * `maxFrameBytes`.
 *
 * @example
 * ```ts
 * socket.write(encodeFrame({ action: 'health_check', request_id: '1' }));
 * ```
 */
export function encodeFrame(message: unknown, maxFrameBytes = MAX_FRAME_BYTES): Buffer {
  let text: unknown;
  try {
    text = JSON.stringify(message);
  } catch (e) {
    throw new ProtocolError(
      `Cannot encode the message as JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (typeof text !== 'string')
    throw new ProtocolError('Cannot encode the message as JSON: it has no JSON form');
  const length = Buffer.byteLength(text, 'utf8');
  if (length > maxFrameBytes) {
    throw new ProtocolError(
      `Message of ${length} bytes exceeds the frame limit of ${maxFrameBytes} bytes: send less data`,
    );
  }
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(text, 4, 'utf8');
  return frame;
}
