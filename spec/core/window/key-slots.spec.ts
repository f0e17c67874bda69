import { expect } from 'chai';
import {
  findSlot,
  slotList,
  withoutSlot,
  withSlot,
  withSlotInOrder,
  type KeySlots,
} from '../../../src/core/window/key-slots.js';
import { WindowSlot } from '../../../src/core/window/window-slot.js';

describe('KeySlots', () => {
  it('a key with one window stores the slot itself, an array only for two or more', () => {
    const a = WindowSlot.of(0, 10);
    const b = WindowSlot.of(10, 20);
    let entry: KeySlots | undefined = withSlot(undefined, a);
    expect(entry).to.equal(a);
    entry = withSlot(entry, b);
    expect(entry).to.deep.equal([a, b]);
    expect(findSlot(entry, 10, 20)).to.equal(b);
    expect(findSlot(entry, 0, 20)).to.equal(undefined);
    entry = withoutSlot(entry, b);
    expect(entry).to.equal(a);
    expect(slotList(entry)).to.deep.equal([a]);
    expect(withoutSlot(entry, a)).to.equal(undefined);
  });
});

describe('KeySlots in order of their start', () => {
  it('withSlotInOrder keeps the slots sorted by start; findSlot stops at the first earlier start', () => {
    const slots = [20, 0, 10, 30].map((s) => WindowSlot.of(s, s + 10));
    let entry: KeySlots | undefined;
    for (const slot of slots) entry = withSlotInOrder(entry, slot);
    expect(slotList(entry).map((s) => s.start)).to.deep.equal([0, 10, 20, 30]);
    for (const slot of slots) expect(findSlot(entry, slot.start, slot.end)).to.equal(slot);
    expect(findSlot(entry, 15, 25)).to.equal(undefined);
    entry = withoutSlot(entry, slots[2] as WindowSlot);
    expect(slotList(entry).map((s) => s.start)).to.deep.equal([0, 20, 30]);
  });
});

describe('WindowSlot', () => {
  it('keeps the start as the length for time windows and as itself for infinite bounds', () => {
    const slot = WindowSlot.of(1_764_000_000_000, 1_764_000_060_000);
    expect([slot.start, slot.end, slot.maxTimestamp()]).to.deep.equal([
      1_764_000_000_000, 1_764_000_060_000, 1_764_000_059_999,
    ]);
    expect(slot.canMoveTo(1_763_999_000_000, 1_764_000_060_000)).to.equal(true);
    slot.moveTo(1_763_999_000_000, 1_764_000_090_000);
    expect([slot.start, slot.end]).to.deep.equal([1_763_999_000_000, 1_764_000_090_000]);
    const global = WindowSlot.of(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    expect([global.start, global.end]).to.deep.equal([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(global.canMoveTo(0, 10)).to.equal(false);
  });
});
