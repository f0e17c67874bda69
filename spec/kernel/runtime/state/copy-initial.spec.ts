import { expect } from 'chai';
import { copyInitial } from '../../../../src/kernel/runtime/state/copy-initial.js';

describe('copyInitial', () => {
  it('deep-copies plain data (objects, arrays, Map, Set, Date)', () => {
    const initial = { n: 0, list: [1, { a: 2 }], m: new Map([[1, new Set([2])]]), at: new Date(5) };
    const copy = copyInitial(initial);
    expect(copy).to.deep.equal(initial);
    expect(copy).not.to.equal(initial);
    expect(copy.list).not.to.equal(initial.list);
    expect(copy.m.get(1)).not.to.equal(initial.m.get(1));
    expect(copy.at).not.to.equal(initial.at);
  });

  it('returns primitives, class instances, functions and uncloneable plain data as given', () => {
    class Counter {
      n = 0;
    }
    const counter = new Counter();
    const fn = (): number => 1;
    const withFn = { fn };
    expect(copyInitial(counter)).to.equal(counter);
    expect(copyInitial(fn)).to.equal(fn);
    expect(copyInitial(withFn)).to.equal(withFn);
    expect(copyInitial(0)).to.equal(0);
    expect(copyInitial(null)).to.equal(null);
    expect(copyInitial<number | undefined>(undefined)).to.equal(undefined);
  });
});
