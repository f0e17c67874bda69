import { expect } from 'chai';
import {
  findSlot,
  slotList,
  withoutSlot,
  withSlot,
  type KeySlots,
} from '../../../src/core/window/key-slots.js';
import { WindowSlot } from '../../../src/core/window/window-slot.js';

describe('KeySlots', () => {
  it('a key with one window stores the slot itself, an array only for two or more', () => {
    const a = new WindowSlot(0, 10);
    const b = new WindowSlot(10, 20);
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
