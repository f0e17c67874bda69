import { expect } from 'chai';
import fc from 'fast-check';
import { SlotTimerQueue } from '../../../src/core/window/slot-timer-queue.js';
import { WindowSlot } from '../../../src/core/window/window-slot.js';

/** Pops everything due at `upTo` as `key@time`. */
function drain(q: SlotTimerQueue, upTo = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  while (q.size > 0 && q.peekTime() <= upTo) {
    const time = q.peekTime();
    q.pop();
    out.push(`${String(q.key)}@${String(time)}`);
  }
  return out;
}

describe('SlotTimerQueue', () => {
  it('gives timers back in time order, whether they came in order (the run) or not (the heap)', () => {
    const q = new SlotTimerQueue();
    const slot = WindowSlot.of(0, 10);
    for (const [key, time] of [
      ['a', 9],
      ['b', 19],
      ['c', 4],
      ['d', 29],
      ['e', 14],
      ['f', 29],
    ] as const)
      q.push(time, key, slot);
    expect(q.peekTime()).to.equal(4);
    expect(drain(q, 19)).to.deep.equal(['c@4', 'a@9', 'e@14', 'b@19']);
    expect(q.size).to.equal(2);
    expect(drain(q).sort()).to.deep.equal(['d@29', 'f@29']);
    expect(q.peekTime()).to.equal(Number.POSITIVE_INFINITY);
  });

  it('pops in time order for any sequence of pushes and pops (property, against a sorted array)', () => {
    const slot = WindowSlot.of(0, 1);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant('pop' as const)), { maxLength: 200 }),
        (ops) => {
          const q = new SlotTimerQueue();
          const model: number[] = [];
          for (const op of ops) {
            if (op === 'pop') {
              if (model.length === 0) continue;
              model.sort((x, y) => x - y);
              expect(q.peekTime()).to.equal(model.shift());
              q.pop();
            } else {
              q.push(op, op, slot);
              model.push(op);
            }
          }
          expect(q.size).to.equal(model.length);
        },
      ),
    );
  });

  it('stale entries (timers a slot forgot) are dropped once they are more than a third of the live ones', () => {
    const q = new SlotTimerQueue();
    const slots = Array.from({ length: 100 }, (_, i) => {
      const slot = WindowSlot.of(i * 10, i * 10 + 10);
      slot.eventTimers = i * 10 + 9;
      q.push(i * 10 + 9, i, slot);
      return slot;
    });
    const live = (time: number, slot: WindowSlot): boolean => slot.eventTimers === time;
    for (let i = 0; i < 20; i++) {
      (slots[i] as WindowSlot).eventTimers = undefined;
      q.forgot(live);
    }
    expect(q.size, 'below the threshold nothing is dropped').to.equal(100);
    for (let i = 20; i < 40; i++) {
      (slots[i] as WindowSlot).eventTimers = undefined;
      q.forgot(live);
    }
    expect(q.size).to.be.below(100);
    expect(drain(q).filter((e) => Number(e.split('@')[0]) >= 40)).to.have.length(60);
  });
});
