import { expect } from 'chai';
import fc from 'fast-check';
import { VirtualTimeScheduler } from 'rxjs';
import { DEFAULT_CREDITS, Peer } from '../../../../src/kernel/backend/threads/peer.js';
import {
  CHANNEL_SPAN,
  loopbackLinks,
  type PeerLink,
} from '../../../../src/kernel/backend/threads/peer-link.js';
import type { Receiver } from '../../../../src/kernel/runtime/routing/receiver.js';
import type { Task } from '../../../../src/kernel/runtime/task/task.js';
import { SLICE_MS } from '../../../../src/kernel/runtime/source/slice.js';

/** A link whose other end never answers until told to: it counts the batches sent and grants on demand. */
function silentLink(): PeerLink & { batches: number; grantBack(): void } {
  let onGrant: () => void = () => undefined;
  const link = {
    batches: 0,
    send: () => {
      link.batches++;
    },
    grant: () => undefined,
    onBatch: () => undefined,
    onGrant: (listener: () => void) => {
      onGrant = listener;
    },
    grantBack: () => {
      onGrant();
    },
  };
  return link;
}

/** A producer that counts how often it is pressed and released. */
function producer(): { pressure: number; addPressure(): void; removePressure(): void } {
  const p = {
    pressure: 0,
    addPressure: () => {
      p.pressure++;
    },
    removePressure: () => {
      p.pressure--;
    },
  };
  return p;
}

describe('Peer credits', () => {
  const BATCH = 1000;

  function peerWith(credits: number): {
    send: (records: number) => void;
    link: ReturnType<typeof silentLink>;
    source: ReturnType<typeof producer>;
  } {
    const link = silentLink();
    // A scheduler that never runs: only full batches go out, as while a source holds the event loop.
    const peer = new Peer(
      link,
      BATCH,
      credits,
      new VirtualTimeScheduler(),
      () => undefined,
      () => false,
    );
    const source = producer();
    peer.addProducer(source as unknown as Task);
    const receiver = peer.receiverFor(7);
    return {
      link,
      source,
      send: (records) => {
        for (let i = 0; i < records; i++) receiver.receive(i, i % 10, 0, undefined);
      },
    };
  }

  it('lets two source slices of records (one per µs) cross before the producer is pressed, by default', () => {
    // Both workers run sources: a credit comes back after the other worker's slice and then ours.
    const roundTrip = 2 * SLICE_MS * 1000;
    const { send, link, source } = peerWith(DEFAULT_CREDITS);
    send(roundTrip - 1);
    expect(link.batches).to.equal(Math.floor((roundTrip - 1) / BATCH));
    expect(source.pressure).to.equal(0);
  });

  it('presses the producer once the credits are spent and releases it when one comes back', () => {
    const { send, link, source } = peerWith(3);
    send(3 * BATCH);
    expect(link.batches).to.equal(3);
    expect(source.pressure).to.equal(1);
    send(10); // waits in the outbox
    link.grantBack(); // the credit goes to the waiting records at once: still none left
    expect(link.batches).to.equal(4);
    expect(source.pressure).to.equal(1);
    link.grantBack();
    expect(source.pressure).to.equal(0);
  });
});

/** One call a producer makes on a Receiver standing for a task of the other worker. */
type Call =
  | { readonly kind: 'receive'; readonly value: unknown; readonly key: unknown; readonly timestamp?: number }
  | { readonly kind: 'barrier' | 'watermark' | 'marker'; readonly datum: number }
  | { readonly kind: 'idleness'; readonly idle: boolean }
  | { readonly kind: 'upstreamEnded' };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('receive' as const),
      value: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
      key: fc.oneof(fc.integer(), fc.string(), fc.constant(undefined)),
      timestamp: fc.integer({ min: -1e12, max: 1e12 }),
    },
    { requiredKeys: ['kind', 'value', 'key'] },
  ),
  fc.record({
    kind: fc.constantFrom('barrier' as const, 'watermark' as const, 'marker' as const),
    datum: fc.integer({ min: 0, max: 1e12 }),
  }),
  fc.record({ kind: fc.constant('idleness' as const), idle: fc.boolean() }),
  fc.constant({ kind: 'upstreamEnded' as const }),
);

/** A receiver that writes down every call with its task and channel. */
function recorder(task: number, log: unknown[][]): Receiver {
  return {
    receive: (value, key, channel, timestamp) => log.push([task, channel, 'receive', value, key, timestamp]),
    barrier: (id, channel) => log.push([task, channel, 'barrier', id]),
    watermark: (w, channel) => log.push([task, channel, 'watermark', w]),
    marker: (at, channel) => log.push([task, channel, 'marker', at]),
    idleness: (idle, channel) => log.push([task, channel, 'idleness', idle]),
    upstreamEnded: (channel) => log.push([task, channel, 'upstreamEnded']),
  };
}

/** Plays `call` on `receiver` with `channel`. */
function play(receiver: Receiver, call: Call, channel: number): void {
  switch (call.kind) {
    case 'receive':
      receiver.receive(call.value, call.key, channel, call.timestamp);
      break;
    case 'barrier':
      receiver.barrier(call.datum, channel);
      break;
    case 'watermark':
      receiver.watermark?.(call.datum, channel);
      break;
    case 'marker':
      receiver.marker?.(call.datum, channel);
      break;
    case 'idleness':
      receiver.idleness?.(call.idle, channel);
      break;
    case 'upstreamEnded':
      receiver.upstreamEnded(channel);
      break;
  }
}

describe('Peer batches', () => {
  it('deliver every record and signal to its task and channel, in order, with key and timestamp (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            task: fc.integer({ min: 0, max: 40_000 }),
            channel: fc.integer({ min: 0, max: CHANNEL_SPAN - 1 }),
            call: callArb,
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 7 }),
        async (calls, batchSize) => {
          const [a, b] = loopbackLinks();
          const scheduler = new VirtualTimeScheduler();
          const sender = new Peer(
            a,
            batchSize,
            1000,
            scheduler,
            () => undefined,
            () => false,
          );
          const got: unknown[][] = [];
          const receivers = new Map<number, Receiver>();
          new Peer(
            b,
            batchSize,
            1000,
            scheduler,
            (task) => {
              let r = receivers.get(task);
              if (r === undefined) receivers.set(task, (r = recorder(task, got)));
              return r;
            },
            () => false,
          );
          const expected: unknown[][] = [];
          for (const { task, channel, call } of calls) {
            play(sender.receiverFor(task), call, channel);
            play(recorder(task, expected), call, channel);
          }
          sender.flush();
          await Promise.resolve();
          expect(got).to.deep.equal(expected);
        },
      ),
    );
  });

  it('count why each batch went: full, at the end of a burst, on a returning credit', () => {
    const link = silentLink();
    const scheduler = new VirtualTimeScheduler();
    const peer = new Peer(
      link,
      10,
      2,
      scheduler,
      () => undefined,
      () => false,
    );
    const receiver = peer.receiverFor(1);
    for (let i = 0; i < 25; i++) receiver.receive(i, i, 0, undefined);
    // Two full batches spent both credits; five records wait for one and go with it.
    link.grantBack();
    link.grantBack();
    for (let i = 0; i < 3; i++) receiver.receive(i, i, 0, undefined);
    scheduler.flush();
    const stats = peer.stats();
    expect([stats.sent, stats.fullFlushes, stats.creditFlushes, stats.timerFlushes]).to.deep.equal([
      4, 2, 1, 1,
    ]);
    expect([stats.entriesSent, stats.starvations]).to.deep.equal([28, 2]);
  });
});
