import { expect } from 'chai';
import fc from 'fast-check';
import { RingQueue } from '../../../../src/kernel/runtime/queue/ring-queue.js';

describe('RingQueue', () => {
  it('behaves as a plain array used as a FIFO (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const)), { maxLength: 300 }),
        (ops) => {
          const q = new RingQueue<number>(4);
          const model: number[] = [];
          for (const op of ops) {
            if (op === 'shift') expect(q.shift()).to.equal(model.shift());
            else {
              q.push(op);
              model.push(op);
            }
            expect(q.length).to.equal(model.length);
            expect(q.peek()).to.equal(model[0]);
          }
        },
      ),
    );
  });

  it('keeps memory proportional to what it holds, not to what passed through it', () => {
    const q = new RingQueue<number>(16);
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 1000; i++) q.push(i);
      for (let i = 0; i < 990; i++) q.shift();
    }
    expect(q.length).to.equal(1000);
    expect(q.capacity).to.be.at.most(4096);
    while (q.length > 2) q.shift();
    expect(q.capacity).to.be.at.most(16);
  });
});
