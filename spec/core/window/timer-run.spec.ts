import { expect } from 'chai';
import { TimerRun } from '../../../src/core/window/timer-run.js';
import { WindowSlot } from '../../../src/core/window/window-slot.js';

/** Takes every entry of `run` as its key. */
function takeAll(run: TimerRun): unknown[] {
  const into: { key: unknown; slot: WindowSlot | undefined } = { key: undefined, slot: undefined };
  const keys: unknown[] = [];
  while (run.length > 0) {
    run.take(into);
    keys.push(into.key);
  }
  return keys;
}

describe('TimerRun', () => {
  it('gives entries back in the order they came, across chunks (3,000 entries)', () => {
    const run = new TimerRun();
    const slot = WindowSlot.of(0, 1);
    expect(run.headTime()).to.equal(Number.POSITIVE_INFINITY);
    expect(run.tail()).to.equal(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < 3000; i++) run.append(i, i, slot);
    expect([run.length, run.headTime(), run.tail()]).to.deep.equal([3000, 0, 2999]);
    const into: { key: unknown; slot: WindowSlot | undefined } = { key: undefined, slot: undefined };
    for (let i = 0; i < 1500; i++) run.take(into);
    expect([into.key, into.slot, run.headTime()]).to.deep.equal([1499, slot, 1500]);
    expect(takeAll(run)).to.deep.equal(Array.from({ length: 1500 }, (_, i) => 1500 + i));
    expect(run.tail(), 'empty again: takes any time').to.equal(Number.NEGATIVE_INFINITY);
  });

  it('filter keeps the live entries in order, in place, across chunks', () => {
    const run = new TimerRun();
    const slots = Array.from({ length: 5000 }, (_, i) => {
      const slot = WindowSlot.of(0, 1);
      slot.eventTimers = i % 3 === 0 ? undefined : i;
      return slot;
    });
    for (let i = 0; i < 5000; i++) run.append(i, i, slots[i] as WindowSlot);
    const into: { key: unknown; slot: WindowSlot | undefined } = { key: undefined, slot: undefined };
    for (let i = 0; i < 1100; i++) run.take(into);
    run.filter((time, slot) => slot.eventTimers === time);
    const expected = Array.from({ length: 3900 }, (_, i) => 1100 + i).filter((i) => i % 3 !== 0);
    expect(run.length).to.equal(expected.length);
    expect(run.tail()).to.equal(4999);
    run.append(5000, 5000, WindowSlot.of(0, 1));
    expect(takeAll(run)).to.deep.equal([...expected, 5000]);
  });

  it('filter down to nothing empties the run', () => {
    const run = new TimerRun();
    for (let i = 0; i < 2000; i++) run.append(i, i, WindowSlot.of(0, 1));
    run.filter(() => false);
    expect([run.length, run.headTime(), run.tail()]).to.deep.equal([
      0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  });
});
