import { expect } from 'chai';
import { main } from '../../samples/feedback-loop.js';

describe('sample: feedback-loop', () => {
  it('refines square roots in a loop until each is precise, then completes', async () => {
    const result = await main([2, 9, 1e6]);
    expect(
      Object.keys(result)
        .map(Number)
        .sort((a, b) => a - b),
    ).to.deep.equal([2, 9, 1e6]);
    expect(result[2]?.root).to.be.closeTo(Math.SQRT2, 1e-9);
    expect(result[9]?.root).to.be.closeTo(3, 1e-9);
    expect(result[1e6]?.root).to.be.closeTo(1000, 1e-6);
    expect(result[1e6]?.steps).to.be.greaterThan(result[9]?.steps ?? 0);
  });
});
