import type { MessagePort } from 'node:worker_threads';

/**
 * One direction-pair of a channel between two workers: batches one way, credits back. A batch is a flat array
 * of entries `[op, task, channel, value, key, timestamp]`, in FIFO order: `op` says whether the entry is a
 * record (with its key and event-time timestamp) or an in-band signal of that channel (a checkpoint barrier, a
 * watermark, an idleness change, a latency marker, the end of stream), whose datum goes in the value slot.
 * Implemented over a MessagePort (threads) and in memory (specs: several workers in one thread).
 *
 * @example
 * ```ts
 * link.onBatch((batch) => deliver(batch));
 * link.onGrant(() => outbox.credit());
 * link.send([RECORD, 3, 0, 'record', 'key', undefined]);
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
/** Slots per batch entry. */
export const ENTRY = 6;

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
