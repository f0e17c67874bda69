import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { JobManagerHttpServer } from '../../../../src/kernel/jobmanager/http/job-manager-http-server.js';
import { countsOf } from '../../../fixtures/jobs/keyed-counter.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { call } from './http-client.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));
const FIRST = ['a', 'b', 'a', 'c', 'a', 'b'];

describe('POST /jobs with restore', function () {
  this.timeout(10_000);
  let server: JobManagerHttpServer;
  let url: string;

  beforeEach(async () => {
    server = new JobManagerHttpServer({ port: 0, jobRoots: [JOBS] });
    url = (await server.start()).url;
  });

  afterEach(async () => {
    await server.stop();
  });

  async function submit(
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return call(url, '/jobs', { method: 'POST', body });
  }

  it('starts a job from a savepoint of POST /jobs/:id/savepoint, at another parallelism', async () => {
    const first = await submit({ module: 'keyed-counter.ts', args: { words: FIRST, report: 'http-first' } });
    expect(first.status).to.equal(201);
    await waitFor(() => countsOf('http-first').length === FIRST.length, {
      timeoutMs: 5000,
      what: 'the words',
    });
    const uuid = String(first.body.job_uuid);
    const taken = await call(url, `/jobs/${uuid}/savepoint`, { method: 'POST' });
    expect(taken.status).to.equal(200);
    const restored = await submit({
      module: 'keyed-counter.ts',
      args: { words: [...FIRST, 'a', 'd'], parallelism: 3, report: 'http-second' },
      restore: taken.body.savepoint,
    });
    expect(restored.status).to.equal(201);
    await waitFor(() => countsOf('http-second').length === 2, { timeoutMs: 5000, what: 'the new words' });
    expect(countsOf('http-second')).to.deep.equal([
      ['a', 4],
      ['d', 1],
    ]);
  });

  it('answers 400 for a restore that is not a savepoint, a mistyped flag, or a savepoint that does not fit', async () => {
    const bad = await submit({ module: 'keyed-counter.ts', restore: [1] });
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.contain('Field "restore" must be a savepoint').and.to.contain('an array');
    const flag = await submit({ module: 'keyed-counter.ts', allow_non_restored_state: 'yes' });
    expect(flag.status).to.equal(400);
    expect(flag.body.message).to.contain('"allow_non_restored_state" must be true or false');
    const mismatch = await submit({
      module: 'keyed-counter.ts',
      export: 'renamed',
      args: { words: [] },
      restore: { job: 'x', takenAt: '', operators: { count: [{ fields: { n: 1 } }] } },
    });
    expect(mismatch.status).to.equal(400);
    expect(mismatch.body.message).to.contain("operator 'count'");
    const allowed = await submit({
      module: 'keyed-counter.ts',
      export: 'renamed',
      args: { words: [] },
      restore: { job: 'x', takenAt: '', operators: { count: [{ fields: { n: 1 } }] } },
      allow_non_restored_state: true,
    });
    expect(allowed.status).to.equal(201);
  });
});
