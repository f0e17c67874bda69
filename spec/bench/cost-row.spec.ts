import { expect } from 'chai';
import { costTable, formatNs } from './cost-row.js';

describe('bench cost table', () => {
  it('shows each option against its baseline: rates, time per unit, the paired ratio and the time it adds', () => {
    const lines = costTable([
      {
        title: 'rateLimit',
        unit: 'call',
        units: 1_000_000,
        ms: 660,
        baseline: 'no options',
        baselineUnits: 1_000_000,
        baselineMs: 600,
        ratio: 1.1,
      },
      {
        title: 'counters',
        unit: 'record',
        units: 1_000,
        ms: 0.02,
        baseline: 'none',
        baselineUnits: 1_000,
        baselineMs: 0.02,
        ratio: 0.95,
        note: 'measured on the generated code',
      },
    ]).split('\n');
    expect(lines[2]).to.equal(
      '| rateLimit | 1,000,000 calls | 1.5M/s (660 ns/call) | no options, 1,000,000 calls | 1.7M/s (600 ns/call) | 1.10× (+60 ns/call) |',
    );
    expect(lines[3]).to.equal(
      '| counters | 1,000 records | 50.0M/s (20 ns/record) | none, 1,000 records | 50.0M/s (20 ns/record) | 0.95× (−1.0 ns/record) |',
    );
    expect(lines.at(-1)).to.equal('- counters: measured on the generated code');
  });

  it('writes nanoseconds with sensible precision', () => {
    expect([formatNs(1.84), formatNs(657.6), formatNs(1250)]).to.deep.equal(['1.8 ns', '658 ns', '1.25 µs']);
  });
});
