import { expect } from 'chai';
import { loopSource } from '../../src/core/operator/compiled-step.js';
import { countersHarness, metricsCostRow, withoutCounters } from './metrics-cost.js';

describe('metrics-cost bench', () => {
  it("removes every counter statement from the engine's fused loop and nothing else", () => {
    const shapes = [
      ['map', 'filter', 'sink'],
      ['keyBy', 'map', 'flatMap'],
    ] as const;
    for (const kinds of shapes) {
      for (const each of [false, true]) {
        const text = loopSource(kinds, 1, each);
        expect(text).to.match(each ? /source\.out\+\+;/ : /source\.out \+= passed;/);
        expect(text).to.match(/\bx_0\+\+;/);
        expect(text).to.match(/\bc_filtered_1\+\+;/);
        expect(text).to.match(/metrics_0\.in \+= passed;/);
        expect(text).to.match(/passed -= x_0 \+ c_filtered_0;/);
        const bare = withoutCounters(text);
        expect(bare).not.to.match(/source\.out|metrics_\d|\b(?:c|x)_\w+\+\+|passed (?:-=|= index|= c_out)/);
        // Only counter statements went: the rest of the text is the same.
        const counters =
          /source\.out\+\+;|(?:metrics_\d+|source)\.\w+ \+= \w+;|\bpassed (?:= index - first|-= [^;]*|= c_out_\d+);|\b(?:c|x)_\w+\+\+;/g;
        expect(bare.replace(/;/g, '')).to.equal(text.replace(counters, '').replace(/;/g, ''));
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        expect(() => new Function('rt', bare)).not.to.throw(); // still valid code
      }
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
