import { ProtocolError } from '../../../errors/protocol-error.js';
import type { ByteBudget } from './byte-budget.js';
import { MAX_FRAME_BYTES } from './protocol-defaults.js';

/** One frame taken out of the byte stream: its parsed JSON, or why it could not be parsed. */
export type DecodedFrame =
  { readonly ok: true; readonly message: unknown } | { readonly ok: false; readonly error: ProtocolError };

const INITIAL_CAPACITY = 4096;
const EMPTY = Buffer.alloc(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a TCP byte stream into frames (4-byte big-endian length + UTF-8 JSON) and parses each. Chunks may
 * hold any part of a frame or many frames. A frame whose payload is not valid UTF-8 or JSON yields a
 * non-fatal error and decoding goes on with the next frame; a declared length over `maxFrameBytes` yields a
 * fatal error and the decoder ignores everything after it (the stream cannot be resynchronised).
 *
 * Only the bytes of an incomplete frame are buffered: the buffer grows by doubling (so a frame arriving in many
 * small chunks costs linear time) but never past the frame's declared size, is charged to the optional
 * `budget` (a refusal is a fatal error) and is given back as soon as no incomplete frame is left, and on
 * `dispose()`.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder();
 * socket.on('data', (chunk: Buffer) => {
 *   for (const frame of decoder.push(chunk)) if (frame.ok) handle(frame.message);
 * });
 * socket.on('close', () => decoder.dispose());
 * ```
 */
export class FrameDecoder {
  private buffer: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  private failed = false;

  constructor(
    readonly maxFrameBytes = MAX_FRAME_BYTES,
    private readonly budget?: ByteBudget,
  ) {}

  /** Bytes received that do not yet make a complete frame. */
  get pending(): number {
    return this.end - this.start;
  }

  /** Bytes allocated to hold them (what the budget is charged). */
  get held(): number {
    return this.buffer.length;
  }

  /** True after a fatal error or `dispose()`: the decoder drops all further input. */
  get broken(): boolean {
    return this.failed;
  }

  /** Feeds bytes; returns the frames they complete, in order. */
  push(chunk: Uint8Array): DecodedFrame[] {
    const frames: DecodedFrame[] = [];
    this.feed(chunk, (frame) => {
      frames.push(frame);
    });
    return frames;
  }

  /**
   * Feeds bytes and hands each frame they complete to `onFrame` as soon as it is decoded, before the bytes
   * after it are buffered; `onFrame` may call `dispose()` to stop decoding there.
   *
   * @example
   * ```ts
   * decoder.feed(chunk, (frame) => { if (!frame.ok) decoder.dispose(); });
   * ```
   */
  feed(chunk: Uint8Array, onFrame: (frame: DecodedFrame) => void): void {
    if (this.failed || chunk.length === 0) return;
    let data: Uint8Array;
    let pos: number;
    let end: number;
    if (this.start === this.end) {
      data = chunk;
      pos = 0;
      end = chunk.length;
    } else {
      if (!this.append(chunk, onFrame)) return;
      data = this.buffer;
      pos = this.start;
      end = this.end;
    }
    const buffered = data === this.buffer;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    while (end - pos >= 4) {
      const length = view.getUint32(pos, false);
      if (length > this.maxFrameBytes) {
        this.fail(
          new ProtocolError(
            `Frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes: the connection is closed`,
            true,
          ),
          onFrame,
        );
        return;
      }
      if (end - pos - 4 < length) break;
      const frame = parsePayload(data.subarray(pos + 4, pos + 4 + length));
      pos += 4 + length;
      if (buffered) this.start = pos;
      onFrame(frame);
      if (this.broken) return;
    }
    if (buffered) {
      if (this.start === this.end) this.clear();
    } else if (pos < end) {
      this.append(data.subarray(pos, end), onFrame);
    }
  }

  /** Drops everything buffered, gives it back to the budget and ignores all further input. */
  dispose(): void {
    this.failed = true;
    this.clear();
  }

  private append(bytes: Uint8Array, onFrame: (frame: DecodedFrame) => void): boolean {
    const held = this.end - this.start;
    const needed = held + bytes.length;
    if (needed > this.buffer.length) {
      const size = this.capacityFor(needed, bytes);
      try {
        this.budget?.reserve(size - this.buffer.length);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.fail(e, onFrame);
        return false;
      }
      const next = Buffer.allocUnsafe(size);
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
    return true;
  }

  /** Double the buffer (at least `needed`), but not past the end of the frame being assembled once known. */
  private capacityFor(needed: number, incoming: Uint8Array): number {
    const size = Math.max(needed, this.buffer.length * 2, INITIAL_CAPACITY);
    const held = this.end - this.start;
    if (held + incoming.length < 4) return size;
    let length = 0;
    for (let i = 0; i < 4; i++) {
      const byte = i < held ? this.buffer[this.start + i] : incoming[i - held];
      length = length * 256 + (byte ?? 0);
    }
    const frameEnd = 4 + length;
    return needed <= frameEnd ? Math.min(size, frameEnd) : size;
  }

  private clear(): void {
    this.start = this.end = 0;
    if (this.buffer.length === 0) return;
    const held = this.buffer.length;
    this.buffer = EMPTY;
    this.budget?.release(held);
  }

  private fail(error: ProtocolError, onFrame: (frame: DecodedFrame) => void): void {
    this.dispose();
    onFrame({ ok: false, error });
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
