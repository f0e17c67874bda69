/**
 * The input side of an operator instance, as routers see it. Each (upstream instance, edge) pair is one
 * channel of the receiving instance, numbered by it; records, barriers and the end of stream of one channel
 * arrive in the order they were sent.
 */
export interface Receiver {
  /** Takes one record with its key and event-time timestamp (`undefined`: none), arriving on `channel`. */
  receive(value: unknown, key: unknown, channel: number, timestamp: number | undefined): void;
  /** The checkpoint barrier `id` arrived on `channel`, behind every record sent before it. */
  barrier(id: number, channel: number): void;
  /**
   * A latency marker a source emitted at scheduler time `emittedAt` arrived on `channel`, behind every record
   * sent before it (optional: receivers without it drop markers).
   */
  marker?(emittedAt: number, channel: number): void;
  /**
   * The event-time watermark of `channel` rose to `watermark`, behind every record sent before it (optional:
   * receivers without it ignore event time).
   */
  watermark?(watermark: number, channel: number): void;
  /** The upstream instance of `channel` went idle (`true`: leave it out of the watermark) or active again. */
  idleness?(idle: boolean, channel: number): void;
  /** The upstream instance of `channel` has completed (after everything it sent). */
  upstreamEnded(channel: number): void;
}
