import { BufferLimitError } from '../../../errors/buffer-limit-error.js';
import type { ByteBudget } from '../protocol/byte-budget.js';

/**
 * The server-wide allowance of bytes held for incomplete frames, shared by every connection's decoder: a
 * reservation past `limit` throws a `BufferLimitError`. `used` and `peak` are read-only counters.
 *
 * @example
 * ```ts
 * const budget = new BufferBudget(64 * 1024 * 1024);
 * const decoder = new FrameDecoder(MAX_FRAME_BYTES, budget);
 * console.log(budget.used, budget.peak);
 * ```
 */
export class BufferBudget implements ByteBudget {
  private usedBytes = 0;
  private peakBytes = 0;

  constructor(readonly limit: number) {}

  /** Bytes held now. */
  get used(): number {
    return this.usedBytes;
  }

  /** Most bytes held at any time. */
  get peak(): number {
    return this.peakBytes;
  }

  reserve(bytes: number): void {
    if (this.usedBytes + bytes > this.limit) throw new BufferLimitError(this.limit, 'server');
    this.usedBytes += bytes;
    if (this.usedBytes > this.peakBytes) this.peakBytes = this.usedBytes;
  }

  release(bytes: number): void {
    this.usedBytes -= bytes;
  }
}
