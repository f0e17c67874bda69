import { expect } from 'chai';
import { VirtualTimeScheduler } from 'rxjs';
import { DEFAULT_CREDITS, Peer } from '../../../../src/kernel/backend/threads/peer.js';
import type { PeerLink } from '../../../../src/kernel/backend/threads/peer-link.js';
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
