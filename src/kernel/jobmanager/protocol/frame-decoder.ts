import { ProtocolError } from '../../../errors/protocol-error.js';
import { MAX_FRAME_BYTES } from './protocol-defaults.js';

/** One frame taken out of the byte stream: its parsed JSON, or why it could not be parsed. */
export type DecodedFrame =
  { readonly ok: true; readonly message: unknown } | { readonly ok: false; readonly error: ProtocolError };

const INITIAL_CAPACITY = 4096;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a TCP byte stream into frames (4-byte big-endian length + UTF-8 JSON) and parses each. Chunks may
 * hold any part of a frame or many frames. A frame whose payload is not valid UTF-8 or JSON yields a
 * non-fatal error and decoding goes on with the next frame; a declared length over `maxFrameBytes` yields a
 * fatal error and the decoder ignores everything after it (the stream cannot be resynchronised). Buffered
 * bytes grow by doubling, so a frame arriving in many small chunks costs linear time.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder();
 * socket.on('data', (chunk: Buffer) => {
 *   for (const frame of decoder.push(chunk)) if (frame.ok) handle(frame.message);
 * });
 * ```
 */
export class FrameDecoder {
  private buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private failed = false;

  constructor(readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Bytes received that do not yet make a complete frame. */
  get pending(): number {
    return this.end - this.start;
  }

  /** True after a fatal error: the decoder drops all further input. */
  get broken(): boolean {
    return this.failed;
  }

  /** Feeds bytes; returns the frames they complete, in order. */
  push(chunk: Uint8Array): DecodedFrame[] {
    const frames: DecodedFrame[] = [];
    if (this.failed || chunk.length === 0) return frames;
    let data: Uint8Array;
    let pos: number;
    let end: number;
    if (this.start === this.end) {
      data = chunk;
      pos = 0;
      end = chunk.length;
    } else {
      this.append(chunk);
      data = this.buffer;
      pos = this.start;
      end = this.end;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    while (end - pos >= 4) {
      const length = view.getUint32(pos, false);
      if (length > this.maxFrameBytes) {
        this.fail();
        frames.push({
          ok: false,
          error: new ProtocolError(
            `Frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes: the connection is closed`,
            true,
          ),
        });
        return frames;
      }
      if (end - pos - 4 < length) break;
      frames.push(parsePayload(data.subarray(pos + 4, pos + 4 + length)));
      pos += 4 + length;
    }
    if (data === this.buffer) {
      this.start = pos;
      if (this.start === this.end) this.start = this.end = 0;
    } else if (pos < end) {
      this.append(data.subarray(pos, end));
    }
    return frames;
  }

  private append(bytes: Uint8Array): void {
    const held = this.end - this.start;
    const needed = held + bytes.length;
    if (needed > this.buffer.length) {
      const next = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2, INITIAL_CAPACITY));
      this.buffer.copy(next, 0, this.start, this.end);
      this.buffer = next;
      this.start = 0;
      this.end = held;
    } else if (this.end + bytes.length > this.buffer.length) {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
      this.start = 0;
      this.end = held;
    }
    this.buffer.set(bytes, this.end);
    this.end += bytes.length;
  }

  private fail(): void {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    this.start = this.end = 0;
  }
}

function parsePayload(payload: Uint8Array): DecodedFrame {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return {
      ok: false,
      error: new ProtocolError('Frame payload is not valid UTF-8: send UTF-8 encoded JSON'),
    };
  }
  try {
    return { ok: true, message: JSON.parse(text) as unknown };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, error: new ProtocolError(`Malformed JSON in frame: ${reason}`) };
  }
}
