import { expect } from 'chai';
import { pipeStepCostRow } from './pipe-step-cost.js';

describe('pipe-step-cost bench', () => {
  it('times pipe(map(f)) against the built-in map on whole pipelines and gives each step alone in ns', async () => {
    const row = await pipeStepCostRow(300, 1);
    expect(row).to.include({ unit: 'record', units: 300, baselineUnits: 300 });
    expect(row.title).to.contain('pipe(map(f))').and.contain('whole pipelines');
    expect(row.baseline).to.equal('source → map(f) → sink');
    expect(row.ratio).to.be.above(0);
    expect(row.note).to.match(
      /pipe\(map\(f\)\) -?\d+\.\d ns\/record, built-in map\(f\) -?\d+\.\d ns\/record/,
    );
  });

  it('runs the keyed row after keyBy, one chain per key', async () => {
    const row = await pipeStepCostRow(300, 1, { count: 7, type: 'number' });
    expect(row.title).to.contain('keyBy(x % 7) → pipe(map(f))');
    expect(row.note).to.contain('each key runs its own RxJS chain');
  });

  it('runs the keyed row over string keys, which the step finds in a Map', async () => {
    const row = await pipeStepCostRow(300, 1, { count: 7, type: 'string' });
    expect(row.title).to.contain("keyBy('key-' + x % 7) → pipe(map(f))");
    expect(row.baseline).to.equal("source → keyBy('key-' + x % 7) → map(f) → sink");
    expect(row.note).to.contain('string keys');
  });
});
