import { expect } from 'chai';
import { hasTime, timesOf, withoutTime, withTime, type TimeSet } from '../../../src/core/window/time-set.js';

describe('TimeSet', () => {
  it('holds one time as a number and several as an array, back to a number and to nothing', () => {
    let s: TimeSet = undefined;
    expect(hasTime(s, 9)).to.equal(false);
    s = withTime(s, 9);
    expect(s).to.equal(9);
    s = withTime(s, 19);
    s = withTime(s, 29);
    expect(s).to.deep.equal([9, 19, 29]);
    expect(hasTime(s, 19)).to.equal(true);
    s = withoutTime(s, 19);
    s = withoutTime(s, 9);
    expect(s).to.equal(29);
    expect(timesOf(s)).to.deep.equal([29]);
    expect(withoutTime(s, 5)).to.equal(29);
    expect(withoutTime(s, 29)).to.equal(undefined);
    expect(timesOf(undefined)).to.deep.equal([]);
  });
});
