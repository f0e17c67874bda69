import { expect } from 'chai';
import {
  CountEvictor,
  GlobalWindow,
  InvalidWindowSizeError,
  type TimestampedValue,
} from '../../../../src/index.js';

const clocks = { currentWatermark: () => 0, currentProcessingTime: () => 0 };
const records = (...values: number[]): TimestampedValue<number>[] =>
  values.map((value, i) => ({ value, timestamp: i }));

describe('CountEvictor', () => {
  it('keeps the last maxCount records, before the function by default', () => {
    const e = CountEvictor.of(2);
    const xs = records(1, 2, 3, 4);
    e.evictAfter(xs, GlobalWindow.get(), clocks);
    expect(xs.map((r) => r.value)).to.deep.equal([1, 2, 3, 4]);
    e.evictBefore(xs, GlobalWindow.get(), clocks);
    expect(xs.map((r) => r.value)).to.deep.equal([3, 4]);
  });

  it('with doEvictAfter, evicts after the function instead', () => {
    const e = CountEvictor.of(1, true);
    const xs = records(1, 2);
    e.evictBefore(xs, GlobalWindow.get(), clocks);
    expect(xs).to.have.length(2);
    e.evictAfter(xs, GlobalWindow.get(), clocks);
    expect(xs.map((r) => r.value)).to.deep.equal([2]);
  });

  it('rejects a count below 1', () => {
    expect(() => CountEvictor.of(0)).to.throw(InvalidWindowSizeError);
  });
});
