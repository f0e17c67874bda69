import { expect } from 'chai';
import fc from 'fast-check';
import { TokenBucket } from '../../../../src/kernel/runtime/service/token-bucket.js';

describe('TokenBucket', () => {
  it('starts full, refills at perSecond, never holds more than burst, and says how long to wait', () => {
    const bucket = new TokenBucket(200, 2, 0);
    expect(bucket.take(1, 0)).to.equal(0);
    expect(bucket.take(1, 0)).to.equal(0);
    expect(bucket.take(1, 0)).to.equal(5);
    expect(bucket.take(1, 5)).to.equal(0);
    expect(bucket.take(2, 1000)).to.equal(0);
    expect(bucket.take(1, 1000)).to.equal(5);
  });

  it('lets a request that costs more than the burst through once the bucket is full', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect(bucket.take(7, 0)).to.equal(0);
    expect(bucket.take(7, 0)).to.equal(300);
    expect(bucket.take(7, 300)).to.equal(0);
  });

  it('property: agrees with a plain model counting tokens in thousandths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 50 }), cost: fc.integer({ min: 0, max: 12 }) }), {
          maxLength: 50,
        }),
        (perSecond, burst, steps) => {
          const bucket = new TokenBucket(perSecond, burst, 0);
          let tokens = burst * 1000;
          let now = 0;
          for (const { dt, cost } of steps) {
            now += dt;
            tokens = Math.min(burst * 1000, tokens + dt * perSecond);
            const need = Math.min(cost, burst) * 1000;
            const wait = bucket.take(cost, now);
            if (tokens >= need) {
              expect(wait).to.equal(0);
              tokens -= need;
            } else expect(wait).to.equal(Math.max(1, Math.ceil((need - tokens) / perSecond)));
          }
        },
      ),
    );
  });
});
