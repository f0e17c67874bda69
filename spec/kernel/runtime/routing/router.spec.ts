import { expect } from 'chai';
import { createRouter } from '../../../../src/kernel/runtime/routing/router.js';
import { instanceForKey } from '../../../../src/kernel/runtime/key/key-group.js';
import type { Receiver } from '../../../../src/kernel/runtime/routing/receiver.js';

class Recorder implements Receiver {
  readonly got: [unknown, unknown, number][] = [];
  ended = 0;
  receive(value: unknown, key: unknown, input: number): void {
    this.got.push([value, key, input]);
  }
  upstreamEnded(): void {
    this.ended++;
  }
}

function recorders(n: number): Recorder[] {
  return Array.from({ length: n }, () => new Recorder());
}

describe('createRouter', () => {
  it('round-robin: spreads records evenly and in turn, passing key and input index', () => {
    const targets = recorders(3);
    const router = createRouter('round-robin', targets, 2);
    for (let i = 0; i < 9; i++) router.route(i, 'k');
    expect(targets.map((t) => t.got.map(([v]) => v))).to.deep.equal([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(targets[0]!.got[0]).to.deep.equal([0, 'k', 2]);
  });

  it('hash: sends each key to the instance instanceForKey(key, n) picks, every time', () => {
    const targets = recorders(4);
    const router = createRouter('hash', targets, 0);
    const keys = [0, '', false, 'a', 'b', 7, null];
    for (let round = 0; round < 3; round++) for (const k of keys) router.route(round, k);
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
    const router = createRouter('broadcast', targets, 0);
    router.route('x', undefined);
    router.route('y', undefined);
    for (const t of targets) expect(t.got.map(([v]) => v)).to.deep.equal(['x', 'y']);
  });

  it('a single consumer instance gets everything whatever the partitioning', () => {
    for (const p of ['round-robin', 'hash', 'broadcast'] as const) {
      const [only] = recorders(1);
      const router = createRouter(p, [only!], 1);
      router.route(1, 'a');
      router.route(2, 'b');
      expect(only!.got).to.deep.equal([
        [1, 'a', 1],
        [2, 'b', 1],
      ]);
    }
  });

  it('end() tells every consumer instance once', () => {
    for (const p of ['round-robin', 'hash', 'broadcast'] as const) {
      const targets = recorders(3);
      createRouter(p, targets, 0).end();
      expect(targets.map((t) => t.ended)).to.deep.equal([1, 1, 1]);
    }
  });

  it('refuses an edge without consumers', () => {
    expect(() => createRouter('hash', [], 0)).to.throw(RangeError);
  });
});
