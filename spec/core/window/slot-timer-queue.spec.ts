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

  it('popDue takes the earliest entry only when it is due, from a run or from the heap', () => {
    const q = new SlotTimerQueue();
    const slot = WindowSlot.of(0, 10);
    q.push(9, 'a', slot);
    q.push(19, 'b', slot);
    q.push(4, 'c', slot);
    expect(q.popDue(3)).to.equal(false);
    expect(q.size).to.equal(3);
    expect(q.popDue(4)).to.equal(true);
    expect([q.time, q.key]).to.deep.equal([4, 'c']);
    expect(q.popDue(9)).to.equal(true);
    expect([q.time, q.key]).to.deep.equal([9, 'a']);
    expect(q.popDue(18)).to.equal(false);
    expect(q.popDue(Number.POSITIVE_INFINITY)).to.equal(true);
    expect([q.time, q.key]).to.deep.equal([19, 'b']);
    expect(q.popDue(Number.POSITIVE_INFINITY), 'empty').to.equal(false);
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
  it('gives back every live timer in time order and keeps stale entries bounded, for any sequence of pushes, pops and forgotten timers (property, against a sorted array)', () => {
    /** One queued timer of the model: its own slot (which remembers its one time while it is live). */
    interface Entry {
      readonly time: number;
      readonly key: number;
      readonly slot: WindowSlot;
    }
    const live = (time: number, slot: WindowSlot): boolean => slot.eventTimers === time;
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ push: fc.integer({ min: 0, max: 60 }) }) },
      { weight: 2, arbitrary: fc.record({ pop: fc.integer({ min: 0, max: 60 }) }) },
      { weight: 2, arbitrary: fc.record({ forget: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ again: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new SlotTimerQueue();
        let model: Entry[] = [];
        /** Forgotten timers (their slots may register the same time again). */
        const forgotten: Entry[] = [];
        let next = 0;
        const popUpTo = (upTo: number): void => {
          model.sort((a, b) => a.time - b.time);
          while (q.size > 0 && q.peekTime() <= upTo) {
            const time = q.peekTime();
            q.pop();
            const slot = q.slot as WindowSlot;
            if (slot.eventTimers !== time) {
              q.skipped();
              continue;
            }
            slot.eventTimers = undefined;
            const i = model.findIndex((e) => e.slot === slot);
            expect(i, 'a live timer pops once').to.be.at.least(0);
            expect(time, 'due in time order').to.equal(model[0]?.time);
            expect(q.key).to.equal(model[i]?.key);
            model.splice(i, 1);
          }
          expect(
            model.filter((e) => e.time <= upTo),
            'every due timer popped',
          ).to.deep.equal([]);
        };
        for (const o of ops) {
          if ('push' in o) {
            const slot = WindowSlot.of(0, 1);
            slot.eventTimers = o.push;
            const entry = { time: o.push, key: next++, slot };
            q.push(entry.time, entry.key, slot);
            model.push(entry);
          } else if ('pop' in o) popUpTo(o.pop);
          else if ('forget' in o) {
            const entry = model[o.forget % Math.max(1, model.length)];
            if (entry === undefined) continue;
            entry.slot.eventTimers = undefined;
            model = model.filter((e) => e !== entry);
            forgotten.push(entry);
            q.forgot(live);
            const stale = q.size - model.length;
            expect(stale * 4, 'stale entries bounded by the live ones').to.be.at.most(q.size + 16);
          } else {
            const entry = forgotten.splice(o.again % Math.max(1, forgotten.length), 1)[0];
            if (entry === undefined) continue;
            entry.slot.eventTimers = entry.time;
            q.push(entry.time, entry.key, entry.slot);
            model.push(entry);
          }
        }
        popUpTo(Number.POSITIVE_INFINITY);
        expect(q.size).to.equal(0);
      }),
      { numRuns: 300 },
    );
  });
  it('keeps long runs (thousands of timers) in order through pops and compactions (property, against a sorted array)', () => {
    const live = (time: number, slot: WindowSlot): boolean => slot.eventTimers === time;
    fc.assert(
      fc.property(
        fc.array(fc.nat(3), { minLength: 1000, maxLength: 5000 }),
        fc.array(fc.nat(), { minLength: 1500, maxLength: 4000 }),
        fc.nat(200),
        (steps, forgets, popEvery) => {
          const q = new SlotTimerQueue();
          const model: { time: number; slot: WindowSlot }[] = [];
          let time = 0;
          // Two interleaved ascending sequences (a session's moved timers after the windows' first ones).
          for (const [i, step] of steps.entries()) {
            time += step;
            const t = i % 2 === 0 ? time : time + 500;
            const slot = WindowSlot.of(0, 1);
            slot.eventTimers = t;
            q.push(t, i, slot);
            model.push({ time: t, slot });
          }
          model.sort((a, b) => a.time - b.time);
          let pending = model;
          for (const [j, f] of forgets.entries()) {
            if (popEvery > 0 && j % popEvery === 0 && pending.length > 0) {
              // Pops the stale entries due first, then the earliest live timer.
              for (;;) {
                const t = q.peekTime();
                q.pop();
                const slot = q.slot as WindowSlot;
                if (slot.eventTimers !== t) {
                  q.skipped();
                  continue;
                }
                expect(t).to.equal(pending[0]?.time);
                slot.eventTimers = undefined;
                pending = pending.filter((e) => e.slot !== slot);
                break;
              }
              continue;
            }
            const entry = pending[f % Math.max(1, pending.length)];
            if (entry === undefined) continue;
            entry.slot.eventTimers = undefined;
            pending = pending.filter((e) => e !== entry);
            q.forgot(live);
          }
          const popped: number[] = [];
          while (q.size > 0) {
            const t = q.peekTime();
            q.pop();
            const slot = q.slot as WindowSlot;
            if (slot.eventTimers !== t) continue;
            slot.eventTimers = undefined;
            popped.push(t);
          }
          expect(popped).to.deep.equal(pending.map((e) => e.time));
        },
      ),
      { numRuns: 25 },
    );
  });
});
