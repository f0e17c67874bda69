import { expect } from 'chai';
import { AuthRateLimiter } from '../../../../src/kernel/jobmanager/server/auth-rate-limiter.js';

describe('AuthRateLimiter', () => {
  let now: number;
  const clock = (): number => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('blocks an address after `limit` failures in a row, and only that address', () => {
    const limiter = new AuthRateLimiter(3, 60_000, clock);
    for (let i = 0; i < 2; i++) limiter.failed('10.0.0.1');
    expect(limiter.blocked('10.0.0.1')).to.equal(false);
    limiter.failed('10.0.0.1');
    expect(limiter.blocked('10.0.0.1')).to.equal(true);
    expect(limiter.blocked('10.0.0.2')).to.equal(false);
    expect(limiter.retryAfterMs('10.0.0.1')).to.equal(20_000);
  });

  it('gives one attempt back every window / limit, and forgets an address once it has all back', () => {
    const limiter = new AuthRateLimiter(3, 60_000, clock);
    for (let i = 0; i < 3; i++) limiter.failed('a');
    now += 19_999;
    expect(limiter.blocked('a')).to.equal(true);
    expect(limiter.retryAfterMs('a')).to.equal(1);
    now += 1;
    expect(limiter.blocked('a')).to.equal(false);
    limiter.failed('a');
    expect(limiter.blocked('a')).to.equal(true);
    now += 60_000;
    expect(limiter.blocked('a')).to.equal(false);
    expect(limiter.size).to.equal(0);
  });

  it('remembers at most maxAddresses addresses, forgetting the least recently failed', () => {
    const limiter = new AuthRateLimiter(1, 60_000, clock, 2);
    limiter.failed('a');
    limiter.failed('b');
    limiter.failed('c');
    expect(limiter.size).to.equal(2);
    expect([limiter.blocked('a'), limiter.blocked('b'), limiter.blocked('c')]).to.deep.equal([
      false,
      true,
      true,
    ]);
  });
});
