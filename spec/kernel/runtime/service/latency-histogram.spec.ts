import { expect } from 'chai';
import {
  LatencyHistogram,
  PROMETHEUS_LATENCY_BOUNDS_MS,
} from '../../../../src/kernel/runtime/service/latency-histogram.js';

describe('LatencyHistogram', () => {
  it('is 0 when empty', () => {
    expect(new LatencyHistogram().quantile(0.5)).to.equal(0);
  });

  it('gives p50 and p99 within one bucket (about 9 %) of the true values', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 100);
    expect(h.count).to.equal(1000);
    const p50 = h.quantile(0.5);
    const p99 = h.quantile(0.99);
    expect(p50).to.be.within(5, 5 * 1.1);
    expect(p99).to.be.within(9.9, 9.9 * 1.1);
  });

  it('keeps latencies beyond its range in the last bucket', () => {
    const h = new LatencyHistogram();
    h.record(1e15);
    expect(h.quantile(1)).to.be.greaterThan(1e9);
  });

  it("also counts latencies in Prometheus' default buckets, cumulatively, with their sum", () => {
    const h = new LatencyHistogram();
    for (const ms of [1, 5, 7, 300, 20_000]) h.record(ms);
    const b = h.buckets();
    expect(b.bounds).to.equal(PROMETHEUS_LATENCY_BOUNDS_MS);
    expect(b.counts).to.deep.equal([2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4]);
    expect(b).to.include({ count: 5, sum: 20_313 });
  });
});
