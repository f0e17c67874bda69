import { expect } from 'chai';
import log from 'loglevel';
import { fileURLToPath } from 'node:url';
import { JobFailedError } from '../../../../src/errors/job-failed-error.js';
import { JobModuleError } from '../../../../src/errors/job-module-error.js';
import type { IsolatedJobRunner } from '../../../../src/kernel/backend/isolation/isolated-job-runner.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';
import { JobModuleLoader } from '../../../../src/kernel/jobmanager/server/job-module-loader.js';
import { RequestHandler } from '../../../../src/kernel/jobmanager/server/request-handler.js';
import type { ServerInfo } from '../../../../src/kernel/jobmanager/protocol/messages.js';
import { waitFor } from '../../../helpers/wait-for.js';

const JOBS = fileURLToPath(new URL('../../../fixtures/jobs', import.meta.url));
const logger = log.getLogger('spec:isolation');
logger.setLevel('silent');

describe('server isolation: each job in a worker thread of its own', function () {
  // Each spec starts one or two job threads; importing the engine from source under tsx takes 1–4 s a thread
  // on a loaded 2-core machine (prebuilt JS takes a fraction of that).
  this.timeout(15_000);
  let jm: JobManager;
  let handler: RequestHandler;

  beforeEach(async () => {
    jm = new JobManager();
    handler = new RequestHandler({
      jobManager: jm,
      logger,
      loader: await JobModuleLoader.create([JOBS]),
      buildTimeoutMs: 300,
      serverInfo: () => ({}) as ServerInfo,
      isolation: 'thread',
      isolationOptions: { resourceLimits: { maxOldGenerationSizeMb: 48 }, stopGraceMs: 100 },
    });
  });

  afterEach(() => {
    for (const job of jm.listJobs())
      if (job.status === 'running' || job.status === 'paused') jm.stopJob(job.uuid);
  });

  async function submit(module: string, exportName = 'default', args?: unknown): Promise<string> {
    const reply = await handler.handle({
      action: 'submit_job',
      request_id: 1,
      module,
      export: exportName,
      autostop: false,
      allow_non_restored_state: false,
      ...(args !== undefined ? { args: args as never } : {}),
    });
    return (reply as { job_uuid: string }).job_uuid;
  }

  function status(uuid: string): JobStatus {
    return jm.getJobStatus(uuid) as JobStatus;
  }

  function count(uuid: string, operator: string): number {
    return status(uuid).operators.find((o) => o.operator === operator)?.out ?? 0;
  }

  it('runs a module in its thread: status, metrics, pause, continue, savepoint and stop go through messages', async () => {
    const uuid = await submit('keyed-counter.ts', 'default', { words: ['a', 'b', 'a'], report: 'isolated' });
    expect(status(uuid).plan.map((v) => v.operators)).to.deep.equal([
      ['words', 'keyBy'],
      ['count'],
      ['collect'],
    ]);
    await waitFor(() => count(uuid, 'count') === 3, { timeoutMs: 5000, what: '3 counted records reported' });
    expect(jm.pauseJob(uuid).status).to.equal('paused');
    const savepoint = await jm.snapshotJob(uuid);
    expect(savepoint.operators.words?.[0]?.fields).to.deep.equal({ read: 3 });
    jm.continueJob(uuid);
    expect(status(uuid).status).to.equal('running');
    expect(jm.stopJob(uuid).status).to.equal('stopped');
  });

  it('a job that calls process.exit fails alone; the other jobs go on', async () => {
    const other = await submit('keyed-counter.ts', 'default', { words: ['x'], report: 'other' });
    const uuid = await submit('misbehaving.ts', 'exits');
    await waitFor(() => status(uuid).status === 'failed', {
      timeoutMs: 5000,
      what: 'the exiting job failed',
    });
    expect(status(uuid).error).to.include('exited with code 3').and.include('process.exit');
    expect(status(other).status).to.equal('running');
    await waitFor(() => count(other, 'count') === 1, { timeoutMs: 5000, what: 'the other job counted' });
  });

  it('a job stuck in a loop is stopped: its thread is terminated after the grace period', async () => {
    const uuid = await submit('misbehaving.ts', 'loops');
    const info = jm.getJob(uuid);
    const runner = info?.dispatcher as IsolatedJobRunner;
    await waitFor(() => Date.now() - runner.lastSeen > 2000, {
      timeoutMs: 5000,
      what: 'the thread stopped reporting',
    });
    expect(jm.getJobStatus(uuid).status).to.equal('running');
    expect(jm.stopJob(uuid).status).to.equal('stopped');
    expect(await info?.whenDone()).to.deep.equal({ status: 'stopped' });
    await waitFor(() => runner.threadExited, { timeoutMs: 3000, what: 'the stuck thread terminated' });
    expect(runner.terminatedAfterGrace).to.equal(true);
  });

  it('a job that runs out of memory fails', async () => {
    const hog = await submit('misbehaving.ts', 'allocates');
    await waitFor(() => status(hog).status === 'failed', { timeoutMs: 8000, what: 'the job failed' });
    expect(status(hog).error).to.match(/memory/i);
  });

  it('a job that throws from a timer of its own fails', async () => {
    const timer = await submit('misbehaving.ts', 'throwsFromTimer');
    await waitFor(() => status(timer).status === 'failed', { timeoutMs: 5000, what: 'the job failed' });
    expect(status(timer).error).to.include('thrown from a timer');
    expect(jm.getJob(timer)?.dispatcher.error).to.be.instanceOf(JobFailedError);
  });

  it('a builder that throws or never returns fails the submit, not the server', async () => {
    const thrown = await submit('throws-while-building.ts').catch((e: unknown) => e);
    expect(thrown).to.be.instanceOf(JobModuleError);
    expect((thrown as Error).message)
      .to.include('threw while building')
      .and.include('refusing to build');
    const stuck = await submit('misbehaving.ts', 'buildsForever').catch((e: unknown) => e);
    expect(stuck).to.be.instanceOf(JobModuleError);
    expect((stuck as Error).message).to.include('did not finish within 300 ms');
    expect(jm.healthCheck().status).to.equal('healthy');
  });
});
