/**
 * An allowance of memory that a `FrameDecoder` charges for the bytes it holds of incomplete frames. `reserve`
 * throws a `BufferLimitError` (a fatal `ProtocolError`) when the bytes cannot be granted.
 *
 * @example
 * ```ts
 * const budget: ByteBudget = { reserve: (n) => void (used += n), release: (n) => void (used -= n) };
 * const decoder = new FrameDecoder(MAX_FRAME_BYTES, budget);
 * ```
 */
export interface ByteBudget {
  /** Charges `bytes` more; throws a `BufferLimitError` instead when they would pass a limit. */
  reserve(bytes: number): void;
  /** Gives back `bytes` charged before. */
  release(bytes: number): void;
}
