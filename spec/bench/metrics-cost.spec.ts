import { expect } from 'chai';
import { stepSource } from '../../src/core/operator/compiled-step.js';
import { countersHarness, metricsCostRow, withoutCounters } from './metrics-cost.js';

describe('metrics-cost bench', () => {
  it("removes every counter statement from the engine's step templates and nothing else", () => {
    for (const kind of ['map', 'filter', 'flatMap', 'sink', 'keyBy'] as const) {
      const text = stepSource(kind, 1);
      expect(text, kind).to.match(/metrics_0\.\w+\+\+/);
      const bare = withoutCounters(text);
      expect(bare, kind).not.to.contain('metrics_0.');
      expect(bare.replace(/;/g, ''), kind).to.equal(
        text.replace(/metrics_0\.\w+\+\+;/g, '').replace(/;/g, ''),
      );
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      expect(() => new Function('rt', bare), kind).not.to.throw(); // still valid code
    }
  });

  it('runs the same chain with and without counters to the same result; only the counted one counts', () => {
    const numbers = [0, 1, 2, 3, 4, 5];
    const counted = countersHarness(numbers, true);
    const bare = countersHarness(numbers, false);
    expect(counted.run()).to.deep.equal({ count: 4, sum: 2 + 4 + 8 + 10 });
    expect(bare.run()).to.deep.equal({ count: 4, sum: 2 + 4 + 8 + 10 });
    expect(counted.metrics.map((m) => [m.in, m.out, m.filtered])).to.deep.equal([
      [0, 6, 0],
      [6, 6, 0],
      [6, 4, 2],
      [4, 4, 0],
    ]);
    expect(bare.metrics.every((m) => m.in === 0 && m.out === 0 && m.filtered === 0)).to.equal(true);
  });

  it('gives a row against the uncounted code, with the whole job for scale', async () => {
    const row = await metricsCostRow(300, 1);
    expect(row).to.include({ unit: 'record', units: 300, baselineUnits: 300 });
    expect(row.ratio).to.be.above(0);
    expect(row.note).to.match(/took \d+ ns\/record/);
  });
});
