import { expect } from 'chai';
import fc from 'fast-check';
import type { ChildResult } from './child-result.js';
import { medianProcess } from './median-process.js';

function result(engineMs: number, rxjsMs: number): ChildResult {
  return { id: 'a', title: 'a', records: 1, kind: 'throughput', engineMs, rxjsMs };
}

describe('medianProcess (a fresh row over several processes)', () => {
  it('keeps the process whose ratio is the median, with every ratio in run order', () => {
    const runs = [result(10, 21), result(10, 29), result(10, 26)];
    const { median, ratios } = medianProcess(runs);
    expect(median).to.equal(runs[2]);
    expect(ratios).to.deep.equal([2.1, 2.9, 2.6]);
  });

  it('takes the lower middle process of an even count, and the only one of one', () => {
    expect(medianProcess([result(1, 4), result(1, 1), result(1, 3), result(1, 2)]).median.rxjsMs).to.equal(2);
    const one = result(3, 6);
    expect(medianProcess([one]).median).to.equal(one);
  });

  it('refuses an empty list', () => {
    expect(() => medianProcess([])).to.throw(RangeError, 'no results');
  });

  it('has as many ratios at most as large and at least as small as the median (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 })), {
          minLength: 1,
          maxLength: 9,
        }),
        (pairs) => {
          const { median, ratios } = medianProcess(pairs.map(([e, r]) => result(e, r)));
          const m = median.rxjsMs / median.engineMs;
          const below = ratios.filter((r) => r < m).length;
          const above = ratios.filter((r) => r > m).length;
          expect(below).to.be.at.most((ratios.length - 1) >> 1);
          expect(above).to.be.at.most(ratios.length >> 1);
        },
      ),
    );
  });
});
