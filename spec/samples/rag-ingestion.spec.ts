import { expect } from 'chai';
import {
  API_REQUESTS_PER_SECOND,
  ApiLog,
  chunk,
  ingestion,
  makeDocuments,
  VectorStore,
} from '../../samples/rag-ingestion.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

describe('sample: rag-ingestion', () => {
  it('in virtual time: embeds every chunk exactly once, in batches, retrying 429s, never above 200 requests/s', async () => {
    const documents = makeDocuments(800);
    const chunks = documents.flatMap((d) => chunk(d));
    const api = new ApiLog();
    const store = new VectorStore();
    const ids: string[] = [];
    let ended = -1;
    await runMarbles(
      ({ env, scheduler, flush }) => {
        ingestion(env, documents, api, store).sink({
          next: (id) => ids.push(id),
          error: () => undefined,
          complete: () => {
            ended = scheduler.now();
          },
        });
        void env.submit();
        flush();
        const embed = env.lastJob().services.find((s) => s.service === 'embed');
        expect(env.lastJob().status).to.equal('completed');
        expect(embed?.retries).to.be.greaterThan(0);
        expect(embed?.meanBatchSize).to.be.greaterThan(8);
        expect(embed?.throttledMs).to.be.greaterThan(0);
      },
      { config: { logLevel: 'silent' } },
    );
    expect(ended).to.be.greaterThan(0);
    expect(ids.sort()).to.deep.equal(chunks.map((c) => c.id).sort());
    expect([...store.writes.values()].every((n) => n === 1)).to.equal(true);
    expect(store.writes.size).to.equal(chunks.length);
    expect(api.embedded.size).to.equal(new Set(chunks.map((c) => c.text)).size);
    expect([...api.embedded.values()].every((n) => n === 1)).to.equal(true);
    expect(api.failures).to.be.greaterThan(0);
    expect(api.quotaBreaches).to.equal(0);
    const times = api.requestTimes;
    expect(times.length).to.be.greaterThan(API_REQUESTS_PER_SECOND);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).to.be.at.least(1000 / API_REQUESTS_PER_SECOND);
    }
    for (let i = 0; i < times.length; i++) {
      let j = i;
      while (j < times.length && (times[j] as number) < (times[i] as number) + 1000) j++;
      expect(j - i).to.be.at.most(API_REQUESTS_PER_SECOND);
    }
  });
});
