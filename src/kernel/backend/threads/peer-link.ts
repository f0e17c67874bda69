import type { MessagePort } from 'node:worker_threads';

/**
 * One direction-pair of a channel between two workers: batches one way, credits back. A batch is a flat array
 * of entries in FIFO order. Each entry starts with a header number that packs the global task number of the
 * receiving instance, its input channel, the entry's kind (`op`) and whether an event-time timestamp follows
 * ({@link entryHeader}); then come, for a record, its value and key (and the timestamp if there is one); for a
 * checkpoint barrier, a watermark, an idleness change or a latency marker, its datum; for the end of stream,
 * nothing. Three slots per record without a timestamp instead of six: a batch costs about half as much to
 * clone across threads.
 * Implemented over a MessagePort (threads) and in memory (specs: several workers in one thread).
 *
 * @example
 * ```ts
 * link.onBatch((batch) => deliver(batch));
 * link.onGrant(() => outbox.credit());
 * link.send([entryHeader(RECORD, 3, 0, false), 'record', 'key']);
 * ```
 */
export interface PeerLink {
  /** Sends one batch (the sender spends one credit). */
  send(batch: unknown[]): void;
  /** Gives the sender one credit back (a batch was delivered). */
  grant(): void;
  onBatch(listener: (batch: unknown[]) => void): void;
  onGrant(listener: () => void): void;
}

/**
 * Input channels an instance may have in a threads job (2^21): the header of a batch entry packs the channel
 * below this bound, so the task number still fits a double exactly.
 */
export const CHANNEL_SPAN = 2 ** 21;

/**
 * The header of a batch entry: `((task × CHANNEL_SPAN + channel) × 8 + op) × 2 + (timestamped ? 1 : 0)`.
 *
 * @example
 * ```ts
 * entryHeader(RECORD, 3, 0, false); // 3 × 2^21 × 16
 * ```
 */
export function entryHeader(op: number, task: number, channel: number, timestamped: boolean): number {
  return ((task * CHANNEL_SPAN + channel) * 8 + op) * 2 + (timestamped ? 1 : 0);
}

/** A batch entry is a record. */
export const RECORD = 0;
/** A batch entry is the end of stream of its channel. */
export const END = 1;
/** A batch entry is checkpoint barrier `value` of its channel. */
export const BARRIER = 2;
/** A batch entry is watermark `value` of its channel. */
export const WATERMARK = 3;
/** A batch entry says that the channel's producer went idle (`value` true) or active again. */
export const IDLENESS = 4;
/** A batch entry is a latency marker emitted at scheduler time `value`. */
export const MARKER = 5;

/**
 * A PeerLink over a MessagePort (one end of a MessageChannel between two worker threads).
 *
 * @example
 * ```ts
 * const link = portLink(port);
 * ```
 */
export function portLink(port: MessagePort): PeerLink {
  let onBatch: (batch: unknown[]) => void = () => undefined;
  let onGrant: () => void = () => undefined;
  port.on('message', (m: { b?: unknown[] }) => {
    if (m.b !== undefined) onBatch(m.b);
    else onGrant();
  });
  return {
    send: (batch) => {
      port.postMessage({ b: batch });
    },
    grant: () => {
      port.postMessage({});
    },
    onBatch: (listener) => {
      onBatch = listener;
    },
    onGrant: (listener) => {
      onGrant = listener;
    },
  };
}

/**
 * Two connected in-memory PeerLinks: what one sends the other receives in a later microtask, as structured
 * clones (so records are copied as across threads). Lets the multi-worker wiring run in one thread.
 *
 * @example
 * ```ts
 * const [a, b] = loopbackLinks();
 * ```
 */
export function loopbackLinks(): [PeerLink, PeerLink] {
  const make = (): PeerLink & { batch(b: unknown[]): void; granted(): void } => {
    let onBatch: (batch: unknown[]) => void = () => undefined;
    let onGrant: () => void = () => undefined;
    const link = {
      other: undefined as unknown as { batch(b: unknown[]): void; granted(): void },
      send: (batch: unknown[]) => {
        const copy = structuredClone(batch);
        queueMicrotask(() => {
          link.other.batch(copy);
        });
      },
      grant: () => {
        queueMicrotask(() => {
          link.other.granted();
        });
      },
      onBatch: (listener: (batch: unknown[]) => void) => {
        onBatch = listener;
      },
      onGrant: (listener: () => void) => {
        onGrant = listener;
      },
      batch: (b: unknown[]) => {
        onBatch(b);
      },
      granted: () => {
        onGrant();
      },
    };
    return link;
  };
  const a = make();
  const b = make();
  (a as unknown as { other: unknown }).other = b;
  (b as unknown as { other: unknown }).other = a;
  return [a, b];
}
