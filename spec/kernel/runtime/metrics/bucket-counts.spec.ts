import { expect } from 'chai';
import fc from 'fast-check';
import { BucketCounts } from '../../../../src/kernel/runtime/metrics/bucket-counts.js';

describe('BucketCounts', () => {
  it('is all zeros when empty', () => {
    expect(new BucketCounts([1, 2]).snapshot()).to.deep.equal({
      bounds: [1, 2],
      counts: [0, 0],
      count: 0,
      sum: 0,
    });
  });

  it('property: counts[i] is the number of values at most bounds[i]; count and sum cover every value', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 50 }),
        (rawBounds, values) => {
          const bounds = [...rawBounds].sort((a, b) => a - b);
          const h = new BucketCounts(bounds);
          for (const v of values) h.record(v);
          const s = h.snapshot();
          expect(s.counts).to.deep.equal(bounds.map((b) => values.filter((v) => v <= b).length));
          expect(s.count).to.equal(values.length);
          expect(s.sum).to.equal(values.reduce((a, v) => a + v, 0));
        },
      ),
    );
  });
});
