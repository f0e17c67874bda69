import { expect } from 'chai';
import { createRouter } from '../../../../src/kernel/runtime/routing/router.js';
import { instanceForKey } from '../../../../src/kernel/runtime/key/key-group.js';
import type { Receiver } from '../../../../src/kernel/runtime/routing/receiver.js';

class Recorder implements Receiver {
  readonly got: [unknown, unknown, number][] = [];
  readonly timestamps: (number | undefined)[] = [];
  readonly barriers: [number, number][] = [];
  ended = 0;
  receive(value: unknown, key: unknown, channel: number, timestamp: number | undefined): void {
    this.got.push([value, key, channel]);
    this.timestamps.push(timestamp);
  }
  barrier(id: number, channel: number): void {
    this.barriers.push([id, channel]);
  }
  upstreamEnded(): void {
    this.ended++;
  }
}

/** Channel numbers as the consumers would give them: `base + i` for consumer i. */
function channels(n: number, base = 0): number[] {
  return Array.from({ length: n }, (_, i) => base + i);
}

function recorders(n: number): Recorder[] {
  return Array.from({ length: n }, () => new Recorder());
}

describe('createRouter', () => {
  it('round-robin: spreads records evenly and in turn, passing key, timestamp and input index', () => {
    const targets = recorders(3);
    const router = createRouter('round-robin', targets, [2, 2, 2]);
    for (let i = 0; i < 9; i++) router.route(i, 'k', i === 4 ? undefined : i * 10);
    expect(targets.map((t) => t.got.map(([v]) => v))).to.deep.equal([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(targets[0]!.got[0]).to.deep.equal([0, 'k', 2]);
    expect(targets.map((t) => t.timestamps)).to.deep.equal([
      [0, 30, 60],
      [10, undefined, 70],
      [20, 50, 80],
    ]);
  });

  it('hash: sends each key to the instance instanceForKey(key, n) picks, every time', () => {
    const targets = recorders(4);
    const router = createRouter('hash', targets, channels(4));
    const keys = [0, '', false, 'a', 'b', 7, null];
    for (let round = 0; round < 3; round++) for (const k of keys) router.route(round, k, round);
    keys.forEach((k) => {
      const expected = instanceForKey(k, 4);
      targets.forEach((t, i) => {
        const count = t.got.filter(([, key]) => Object.is(key, k)).length;
        expect(count, `key ${String(k)} on instance ${i}`).to.equal(i === expected ? 3 : 0);
      });
    });
  });

  it('broadcast: gives every record to every instance', () => {
    const targets = recorders(3);
    const router = createRouter('broadcast', targets, channels(3));
    router.route('x', undefined, 5);
    router.route('y', undefined, undefined);
    for (const t of targets) expect(t.got.map(([v]) => v)).to.deep.equal(['x', 'y']);
    for (const t of targets) expect(t.timestamps).to.deep.equal([5, undefined]);
  });

  it('a single consumer instance gets everything whatever the partitioning', () => {
    for (const p of ['round-robin', 'hash', 'broadcast'] as const) {
      const [only] = recorders(1);
      const router = createRouter(p, [only!], [1]);
      router.route(1, 'a', 1);
      router.route(2, 'b', 2);
      expect(only!.got).to.deep.equal([
        [1, 'a', 1],
        [2, 'b', 1],
      ]);
    }
  });

  it('end() tells every consumer instance once', () => {
    for (const p of ['round-robin', 'hash', 'broadcast'] as const) {
      const targets = recorders(3);
      createRouter(p, targets, channels(3)).end();
      expect(targets.map((t) => t.ended)).to.deep.equal([1, 1, 1]);
    }
  });

  it('barrier() reaches every consumer instance on its own channel, whatever the partitioning', () => {
    for (const p of ['round-robin', 'hash', 'broadcast'] as const) {
      const targets = recorders(3);
      createRouter(p, targets, channels(3, 5)).barrier(7);
      expect(targets.map((t) => t.barriers)).to.deep.equal([[[7, 5]], [[7, 6]], [[7, 7]]]);
    }
  });

  it('refuses an edge without consumers', () => {
    expect(() => createRouter('hash', [], [])).to.throw(RangeError);
  });
});
