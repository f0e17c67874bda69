import { expect } from 'chai';
import { serviceBatchTable, timeCalls } from './service-batch.js';

describe('service-batch bench', () => {
  it('gets every reply right for each option set (it throws otherwise) and renders one row per case', async () => {
    const batch = { maxSize: 64, maxWaitMs: 5 };
    for (const options of [
      {},
      { batch },
      { retry: { attempts: 3 } },
      { rateLimit: { perSecond: 1e9, burst: 1e9 } },
    ]) {
      expect(await timeCalls(options, 5_000)).to.be.greaterThan(0);
    }
    const table = serviceBatchTable([
      { name: 'no options (one call per invocation)', calls: 10, ms: 2, perSecond: 5000 },
      { name: 'batching, maxSize 64', calls: 10, ms: 1, perSecond: 10_000 },
    ]);
    expect(table.split('\n')).to.have.length(4);
    expect(table).to.contain('| batching, maxSize 64 | 10 | 1 ms | 10,000 | 2.00× |');
  });
});
