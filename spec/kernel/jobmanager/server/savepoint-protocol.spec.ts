import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { JobNotFoundError } from '../../../../src/errors/job-not-found-error.js';
import { RequestFailedError } from '../../../../src/errors/request-failed-error.js';
import { SavepointTooLargeError } from '../../../../src/errors/savepoint-too-large-error.js';
import { RemoteEnvironment } from '../../../../src/core/api/remote-environment.js';
import { JobManagerClient } from '../../../../src/kernel/jobmanager/client/job-manager-client.js';
import { JobManagerServer } from '../../../../src/kernel/jobmanager/server/job-manager-server.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { countsOf } from '../../../fixtures/jobs/keyed-counter.js';
import { waitFor } from '../../../helpers/wait-for.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));
const FIRST = ['a', 'b', 'a', 'c', 'a', 'b'];
const MORE = ['a', 'b', 'c', 'd'];

/** The last count each word reached. */
function lastCounts(records: readonly [string, number][]): Record<string, number> {
  const last: Record<string, number> = {};
  for (const [word, n] of records) last[word] = n;
  return last;
}

describe('savepoints over the control protocol', function () {
  this.timeout(10_000);
  let server: JobManagerServer;
  let client: JobManagerClient;

  async function start(options: { maxFrameBytes?: number } = {}): Promise<void> {
    server = new JobManagerServer({ port: 0, jobRoots: [JOBS], ...options });
    client = new JobManagerClient({ port: (await server.start()).port });
  }

  afterEach(async () => {
    client.close();
    await server.stop();
  });

  /** Starts the keyed counter on FIRST and waits until it counted every word. */
  async function counting(report: string, parallelism = 2): Promise<string> {
    const uuid = await client.submitJob({
      module: 'keyed-counter.ts',
      args: { words: FIRST, parallelism, report },
    });
    await waitFor(() => countsOf(report).length === FIRST.length, {
      timeoutMs: 5000,
      what: 'the first words',
    });
    return uuid;
  }

  it('a savepoint of a running job restores into a new job at another parallelism with the right keyed counts', async () => {
    await start();
    const uuid = await counting('sp-first', 2);
    const savepoint = await client.triggerSavepoint(uuid);
    expect((await client.getJobStatus(uuid)).status).to.equal('running');
    expect(Object.keys(savepoint.operators)).to.include.members(['words', 'count']);
    expect(savepoint.operators.count).to.have.length(2);
    await client.stopJob(uuid);

    const restored = await client.submitJob({
      module: 'keyed-counter.ts',
      args: { words: [...FIRST, ...MORE], parallelism: 3, report: 'sp-second' },
      restore: savepoint,
    });
    await waitFor(() => countsOf('sp-second').length === MORE.length, {
      timeoutMs: 5000,
      what: 'the new words',
    });
    expect(lastCounts(countsOf('sp-second'))).to.deep.equal({ a: 4, b: 3, c: 2, d: 1 });
    expect(server.jobManager.getJobStatus(restored).status).to.equal('running');
    const again = await client.triggerSavepoint(restored);
    expect(again.operators.count).to.have.length(3);
  });

  it('stop: true stops the job after the savepoint, which holds the counts', async () => {
    await start();
    const uuid = await counting('sp-stop');
    const response = await client.request('trigger_savepoint', { job_uuid: uuid, stop: true });
    expect(response.job_uuid).to.equal(uuid);
    expect(response.job_status.status).to.equal('stopped');
    expect(server.jobManager.getJobStatus(uuid).status).to.equal('stopped');
    const restored = await client.submitJob({
      module: 'keyed-counter.ts',
      args: { words: [...FIRST, 'a'], parallelism: 1, report: 'sp-stop-2' },
      restore: response.savepoint,
    });
    await waitFor(() => countsOf('sp-stop-2').length === 1, { timeoutMs: 5000, what: 'the new word' });
    expect(countsOf('sp-stop-2')).to.deep.equal([['a', 4]]);
    await client.stopJob(restored);
  });

  it('RemoteEnvironment takes savepoints, stops with one, and submits with restore', async () => {
    await start();
    const env = new RemoteEnvironment('remote-counter', { port: server.address?.port ?? 0 });
    try {
      const uuid = await env.submit({
        module: 'keyed-counter.ts',
        args: { words: FIRST, report: 'sp-remote' },
      });
      await waitFor(() => countsOf('sp-remote').length === FIRST.length, {
        timeoutMs: 5000,
        what: 'the words',
      });
      expect((await env.snapshotJob()).operators.count).to.have.length(2);
      const last = await env.stopJob(undefined, { savepoint: true });
      expect(server.jobManager.getJobStatus(uuid).status).to.equal('stopped');
      await env.submit({
        module: 'keyed-counter.ts',
        args: { words: [...FIRST, 'b'], parallelism: 4, report: 'sp-remote-2' },
        restore: last,
      });
      await waitFor(() => countsOf('sp-remote-2').length === 1, { timeoutMs: 5000, what: 'the new word' });
      expect(countsOf('sp-remote-2')).to.deep.equal([['b', 3]]);
    } finally {
      await env.close();
    }
  });

  it('an unknown job fails with JobNotFoundError', async () => {
    await start();
    const error = await client.triggerSavepoint('no-such-job').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(JobNotFoundError);
    const stopped = await client.triggerSavepoint('no-such-job', { stop: true }).catch((e: unknown) => e);
    expect(stopped).to.be.instanceOf(JobNotFoundError);
  });

  it('refuses a restore that is not a savepoint, and a mistyped flag, with a clear message', async () => {
    await start();
    for (const [restore, reason] of [
      [[1, 2], 'it is an array'],
      ['savepoint.json', 'not an object'],
      [{ job: 'x' }, 'no field "operators"'],
      [{ operators: { count: 'x' } }, 'operators["count"] must be an array'],
    ] as const) {
      const error = await client
        .request('submit_job', { module: 'keyed-counter.ts', restore: restore as unknown as JobSnapshot })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RequestFailedError);
      expect((error as RequestFailedError).errorType).to.equal('ProtocolError');
      expect((error as Error).message)
        .to.contain('field "restore" must be a savepoint')
        .and.to.contain(reason);
    }
    const flag = await client
      .request('submit_job', {
        module: 'keyed-counter.ts',
        allow_non_restored_state: 'yes' as unknown as boolean,
      })
      .catch((e: unknown) => e);
    expect((flag as Error).message).to.contain('"allow_non_restored_state" must be true or false');
    const stop = await client
      .request('trigger_savepoint', { job_uuid: 'x', stop: 1 as unknown as boolean })
      .catch((e: unknown) => e);
    expect((stop as Error).message).to.contain('"stop" must be true or false');
    expect(server.jobManager.listJobs()).to.have.length(0);
  });

  it('a savepoint with state of an operator the job lacks fails unless allowNonRestoredState', async () => {
    await start();
    const uuid = await counting('sp-mismatch');
    const savepoint = await client.triggerSavepoint(uuid, { stop: true });
    const error = await client
      .submitJob({ module: 'keyed-counter.ts', export: 'renamed', args: { words: [] }, restore: savepoint })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RequestFailedError);
    expect((error as RequestFailedError).errorType).to.equal('SnapshotMismatchError');
    expect((error as Error).message).to.contain('count');
    const allowed = await client.submitJob({
      module: 'keyed-counter.ts',
      export: 'renamed',
      args: { words: [] },
      restore: savepoint,
      allowNonRestoredState: true,
    });
    expect(server.jobManager.getJobStatus(allowed).status).to.equal('running');
  });

  it('refuses a restore for a builder that submits its job itself, and stops that job', async () => {
    await start();
    const savepoint: JobSnapshot = { job: 'x', takenAt: '', operators: {} };
    const error = await client
      .submitJob({ module: 'self-submitting.ts', restore: savepoint })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RequestFailedError);
    expect((error as RequestFailedError).errorType).to.equal('JobModuleError');
    expect((error as Error).message)
      .to.contain('submitted its job itself')
      .and.to.contain('only declare the pipeline');
    const jobs = server.jobManager.listJobs();
    expect(jobs).to.have.length(1);
    expect(jobs[0]?.status).to.equal('stopped');
  });

  it('a savepoint too large for a response frame is refused and the job is not stopped', async () => {
    await start({ maxFrameBytes: 64 * 1024 + 64 });
    const uuid = await counting('sp-large');
    for (const stop of [false, true]) {
      const error = await client.triggerSavepoint(uuid, { stop }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RequestFailedError);
      expect((error as RequestFailedError).errorType).to.equal('SavepointTooLargeError');
      expect((error as Error).message)
        .to.contain('too large for one response')
        .and.to.contain('POST /jobs/:id/savepoint');
    }
    expect((await client.getJobStatus(uuid)).status).to.equal('running');
  });

  it('a restore too large for a request frame is refused before it is sent', async () => {
    await start();
    const big: JobSnapshot = {
      job: 'big',
      takenAt: new Date(0).toISOString(),
      operators: { count: [{ fields: 'x'.repeat(10 * 1024 * 1024) }] },
    };
    const error = await client
      .submitJob({ module: 'keyed-counter.ts', restore: big })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SavepointTooLargeError);
    expect((error as Error).message).to.contain('the savepoint to restore is');
    expect(server.jobManager.listJobs()).to.have.length(0);
  });
});
