import { expect } from 'chai';
import { serviceCostRows, timeCalls } from './service-batch.js';

describe('service-batch bench', () => {
  it('gets every reply right for each option set (it throws otherwise)', async () => {
    const batch = { maxSize: 64, maxWaitMs: 5 };
    for (const options of [
      {},
      { batch },
      { retry: { attempts: 3 } },
      { rateLimit: { perSecond: 1e9, burst: 1e9 } },
    ]) {
      expect(await timeCalls(options, 2_048)).to.be.greaterThan(0);
    }
  });

  it('gives one cost row per option, each against its baseline with its own call counts', async function () {
    this.timeout(20_000); // 7 cases, each warmed up and timed once at tiny sizes
    const rows = await serviceCostRows(2_048, 256, 1);
    expect(rows.map((r) => [r.title, r.units, r.baseline, r.baselineUnits])).to.deep.equal([
      ['service: batching, maxSize 64 (answers at once)', 2_048, 'the same, fewer calls', 256],
      ['service: retry (every call succeeds first time)', 2_048, 'no options', 2_048],
      ['service: rateLimit (every call within the limit)', 2_048, 'no options', 2_048],
      ['service: retry + rateLimit', 2_048, 'no options', 2_048],
      ['service: batching + retry + rateLimit', 2_048, 'batching alone', 2_048],
    ]);
    for (const r of rows) {
      expect(r.ms, r.title).to.be.above(0);
      expect(r.ratio, r.title).to.be.above(0);
    }
  });
});
