import { expect } from 'chai';
import { GlobalWindow, TimeWindow } from '../../../../src/index.js';

describe('TimeWindow', () => {
  it('startOf aligns a timestamp to its window, negative timestamps and offsets included', () => {
    expect(TimeWindow.startOf(25, 0, 10)).to.equal(20);
    expect(TimeWindow.startOf(20, 0, 10)).to.equal(20);
    expect(TimeWindow.startOf(-5, 0, 10)).to.equal(-10);
    expect(TimeWindow.startOf(-10, 0, 10)).to.equal(-10);
    expect(TimeWindow.startOf(25, 3, 10)).to.equal(23);
    expect(TimeWindow.startOf(22, 3, 10)).to.equal(13);
    expect(TimeWindow.startOf(25, -3, 10)).to.equal(17);
  });

  it('maxTimestamp is end - 1; touching windows intersect (Flink merges them); cover spans both', () => {
    const w = new TimeWindow(0, 10);
    expect(w.maxTimestamp()).to.equal(9);
    expect(w.intersects(new TimeWindow(10, 20))).to.equal(true);
    expect(w.intersects(new TimeWindow(11, 20))).to.equal(false);
    expect(w.cover(new TimeWindow(5, 15))).to.deep.equal(new TimeWindow(0, 15));
  });
});

describe('GlobalWindow', () => {
  it('is one window spanning all time, whose results carry +Infinity', () => {
    expect(GlobalWindow.get()).to.equal(GlobalWindow.get());
    expect(GlobalWindow.get().start).to.equal(Number.NEGATIVE_INFINITY);
    expect(GlobalWindow.get().end).to.equal(Number.POSITIVE_INFINITY);
    expect(GlobalWindow.get().maxTimestamp()).to.equal(Number.POSITIVE_INFINITY);
  });
});
