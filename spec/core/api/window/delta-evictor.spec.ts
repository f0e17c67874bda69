import { expect } from 'chai';
import { DeltaEvictor, GlobalWindow } from '../../../../src/index.js';

const clocks = { currentWatermark: () => 0, currentProcessingTime: () => 0 };

describe('DeltaEvictor', () => {
  it('removes the records at least threshold away from the newest', () => {
    const xs = [1, 8, 5, 10].map((value, timestamp) => ({ value, timestamp }));
    DeltaEvictor.of(5, (a: number, b: number) => Math.abs(a - b)).evictBefore(xs, GlobalWindow.get(), clocks);
    expect(xs.map((r) => r.value)).to.deep.equal([8, 10]);
  });

  it('with doEvictAfter, evicts after the function; an empty window is left alone', () => {
    const e = DeltaEvictor.of(1, (a: number, b: number) => Math.abs(a - b), true);
    const xs = [1, 5].map((value, timestamp) => ({ value, timestamp }));
    e.evictBefore(xs, GlobalWindow.get(), clocks);
    expect(xs).to.have.length(2);
    e.evictAfter(xs, GlobalWindow.get(), clocks);
    expect(xs.map((r) => r.value)).to.deep.equal([5]);
    const empty: { value: number; timestamp: number }[] = [];
    e.evictAfter(empty, GlobalWindow.get(), clocks);
    expect(empty).to.deep.equal([]);
  });
});
