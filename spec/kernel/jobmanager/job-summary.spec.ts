import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidPageError } from '../../../src/errors/invalid-page-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { pageRange, summarizeJob } from '../../../src/kernel/jobmanager/job-summary.js';
import { smallJobs } from './fixtures/small-jobs.js';

describe('job summaries', () => {
  it('keep identity, state, times and counts of a status, without operator arrays or plan', async () => {
    const jm = new JobManager();
    await smallJobs(jm, 1);
    const [status] = jm.listJobs();
    if (status === undefined) throw new Error('no job');
    const summary = summarizeJob(status);
    expect(summary).to.deep.equal({
      uuid: status.uuid,
      name: 'job-0',
      status: 'completed',
      startTime: status.startTime,
      endTime: status.endTime,
      runtimeMs: status.runtimeMs,
      operators: status.operators.length,
      errors: 0,
      queued: 0,
    });
    expect(summary.operators).to.equal(3);
  });

  it('page like a slice of listJobs in submit order, for any offset and limit', async () => {
    const jm = new JobManager();
    await smallJobs(jm, 25);
    const all = jm.listJobs().map((j) => j.uuid);
    fc.assert(
      fc.property(fc.nat(30), fc.integer({ min: 1, max: 30 }), (offset, limit) => {
        const page = jm.listJobSummaries({ offset, limit });
        expect(page.total).to.equal(all.length);
        expect(page.jobs.map((j) => j.uuid)).to.deep.equal(all.slice(offset, offset + limit));
      }),
      { numRuns: 50 },
    );
    expect(jm.listJobSummaries().jobs).to.have.length(25);
  });

  it('default to offset 0 and limit 100, and refuse a bad offset or a limit outside 1‥1000', () => {
    expect(pageRange()).to.deep.equal({ offset: 0, limit: 100 });
    expect(pageRange({ offset: 7, limit: 1000 })).to.deep.equal({ offset: 7, limit: 1000 });
    for (const bad of [
      { offset: -1 },
      { offset: 1.5 },
      { limit: 0 },
      { limit: 1001 },
      { limit: Number.NaN },
    ]) {
      expect(() => pageRange(bad), JSON.stringify(bad)).to.throw(InvalidPageError);
    }
    expect(() => new JobManager().listJobSummaries({ limit: 5000 })).to.throw(
      InvalidPageError,
      /at most|1 to 1000/,
    );
  });
});
