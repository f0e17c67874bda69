import { expect } from 'chai';
import { RateSampler } from '../../../../src/kernel/jobmanager/http/rate-sampler.js';
import { OperatorMetrics } from '../../../../src/kernel/runtime/metrics/operator-metrics.js';

/** One instance whose clock and time pressed the spec sets. */
function instance(): { m: OperatorMetrics; clock: { now: number; pressed: number } } {
  const clock = { now: 0, pressed: 0 };
  const m = new OperatorMetrics('op', 0, 0);
  m.probe = { queued: 0, pressedMs: () => clock.pressed, now: () => clock.now };
  return { m, clock };
}

describe('RateSampler', () => {
  it('answers zeros at the first look, then records per second over the last second and minute', () => {
    const sampler = new RateSampler();
    const { m, clock } = instance();
    expect(sampler.sample('j', [m])).to.deep.equal([
      { inRate1s: 0, outRate1s: 0, inRate1m: 0, outRate1m: 0, backpressureRatio: 0 },
    ]);
    // 10 s at 100 in/s and 50 out/s, looked at every second
    for (let s = 1; s <= 10; s++) {
      clock.now = s * 1000;
      m.in = s * 100;
      m.out = s * 50;
      sampler.sample('j', [m]);
    }
    // then one second at 300 in/s
    clock.now = 11_000;
    m.in += 300;
    const [r] = sampler.sample('j', [m]);
    expect(r?.inRate1s).to.equal(300);
    expect(r?.outRate1s).to.equal(0);
    expect(r?.inRate1m).to.equal(1300 / 11);
    expect(r?.outRate1m).to.equal(500 / 11);
  });

  it('gives the share of the last second an instance spent pressed', () => {
    const sampler = new RateSampler();
    const { m, clock } = instance();
    sampler.sample('j', [m]);
    clock.now = 1000;
    clock.pressed = 250;
    expect(sampler.sample('j', [m])[0]?.backpressureRatio).to.equal(0.25);
    clock.now = 2000;
    clock.pressed = 1250;
    expect(sampler.sample('j', [m])[0]?.backpressureRatio).to.equal(1);
  });

  it('only looks back one minute', () => {
    const sampler = new RateSampler();
    const { m, clock } = instance();
    sampler.sample('j', [m]);
    m.in = 6000; // a burst in the first second, then nothing
    clock.now = 1000;
    sampler.sample('j', [m]);
    for (let s = 2; s <= 120; s++) {
      clock.now = s * 1000;
      sampler.sample('j', [m]);
    }
    expect(sampler.sample('j', [m])[0]?.inRate1m).to.equal(0);
  });

  it('starts again when the counters go back (a restart) and forgets jobs it is not asked to retain', () => {
    const sampler = new RateSampler();
    const { m, clock } = instance();
    sampler.sample('j', [m]);
    clock.now = 1000;
    m.in = 500;
    expect(sampler.sample('j', [m])[0]?.inRate1s).to.equal(500);
    const fresh = instance();
    fresh.clock.now = 2000;
    fresh.m.in = 10;
    expect(sampler.sample('j', [fresh.m])[0]?.inRate1s).to.equal(0);
    sampler.retain(new Set());
    clock.now = 3000;
    expect(sampler.sample('j', [m])[0]?.inRate1s).to.equal(0);
  });
});
